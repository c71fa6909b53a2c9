from celery import shared_task

from statements import services


@shared_task
def publish_due_statements() -> int:
    return services.statements_publish_due()


@shared_task
def send_email(email_id: int) -> bool:
    # Retries are not Celery's: a failed email records when to try again, and
    # the sweep below sends it then, even after a restart.
    return services.outgoing_email_send(email_id=email_id)


@shared_task
def send_unsent_emails() -> int:
    due = services.outgoing_emails_due()
    for email_id in due:
        send_email.delay(email_id)
    return len(due)


@shared_task
def send_cosign_digests() -> int:
    return len(services.cosign_digests_create())


@shared_task
def send_signoff_reminders() -> int:
    return len(services.signoff_reminders_create())
