from celery import shared_task

from statements import services


@shared_task
def publish_due_statements() -> int:
    return services.statements_publish_due()


@shared_task(
    autoretry_for=(services.EmailNotSent,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_email(email_id: int) -> bool:
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
