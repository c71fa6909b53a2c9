"""Celery tasks of statements: each loads what it needs by id and calls one service.

A task imports its service inside its body: the services import these tasks to queue them.
"""

from celery import shared_task


@shared_task
def publish_due_statements() -> int:
    from statements.services.lifecycle import statements_publish_due

    return statements_publish_due()


@shared_task
def send_email(email_id: int) -> bool:
    # Retries are not Celery's: a failed email records when to try again, and
    # the sweep below sends it then, even after a restart.
    from statements.services.outgoing import outgoing_email_send

    return outgoing_email_send(email_id=email_id)


@shared_task
def send_unsent_emails() -> int:
    from statements.services.outgoing import outgoing_emails_due

    due = outgoing_emails_due()
    for email_id in due:
        send_email.delay(email_id)
    return len(due)


@shared_task
def send_cosign_digests() -> int:
    from statements.services.cosigning import cosign_digests_create

    return len(cosign_digests_create())


@shared_task
def send_signoff_reminders() -> int:
    from statements.services.signoff import signoff_reminders_create

    return len(signoff_reminders_create())


@shared_task
def erase_expired_signer_data() -> int:
    from statements.services.retention import signer_data_erase_expired

    return len(signer_data_erase_expired())


@shared_task
def publish_signed_off_correction(version_id: int) -> bool:
    from statements.services.corrections import correction_publish_signed_off

    return correction_publish_signed_off(version_id=version_id)
