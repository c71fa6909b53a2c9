from celery import shared_task

from statements import press, services


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


@shared_task
def send_deliveries(distribution_id: int, lo: int, hi: int) -> int:
    return press.deliveries_send(distribution_id=distribution_id, lo=lo, hi=hi)


@shared_task
def start_due_distributions() -> int:
    return press.distributions_due()


@shared_task
def sweep_deliveries() -> int:
    ranges = press.deliveries_sweep()
    for distribution_id, lo, hi in ranges:
        send_deliveries.delay(distribution_id, lo, hi)
    return len(ranges)
