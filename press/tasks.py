"""Celery tasks of press sending: each takes ids and calls one service.

A task imports its service inside its body: the services import these tasks to queue them.
"""

from celery import shared_task
from django.conf import settings


# Longer than other tasks (the global rate may hold it back: config/settings.py), and no
# soft limit before the hard one: SoftTimeLimitExceeded raised between a row marked sent
# and the server's acceptance of its message would lose that recipient, where a killed
# process leaves the row to the sweep (press/services.py). Celery never sends the soft
# limit when it equals the hard one.
@shared_task(
    time_limit=settings.PRESS_TASK_TIME_LIMIT, soft_time_limit=settings.PRESS_TASK_TIME_LIMIT
)
def send_deliveries(distribution_id: int, lo: int, hi: int) -> int:
    from press.services import deliveries_send

    return deliveries_send(distribution_id=distribution_id, lo=lo, hi=hi)


@shared_task
def start_due_distributions() -> int:
    from press.services import distributions_due

    return distributions_due()


@shared_task
def sweep_deliveries() -> int:
    from press.services import deliveries_sweep

    ranges = deliveries_sweep()
    for distribution_id, lo, hi in ranges:
        send_deliveries.delay(distribution_id, lo, hi)
    return len(ranges)


@shared_task
def reduce_old_deliveries() -> int:
    from press.retention import deliveries_reduce_expired

    return len(deliveries_reduce_expired())
