from celery import shared_task

from statements.services import statements_publish_due


@shared_task
def publish_due_statements() -> int:
    return statements_publish_due()
