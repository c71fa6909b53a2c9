"""A press send's record of who received it, kept RETENTION_DELIVERY_DAYS after the
distribution finished (done or stopped), then reduced to how many deliveries ended in
each state, kept on the distribution, and the delivery rows removed.

RETENTION_DELIVERY_DAYS is never shorter than PRESS_UNSUBSCRIBE_DAYS (the settings
refuse it), so every unsubscribe link has expired before its row goes; a preview link
then leads nowhere, the statement being public long since. Suppressions are not
deliveries: they stay, so an address that unsubscribed is still never emailed.
"""

import logging
from datetime import datetime, timedelta

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.audit import Event, audit_event
from core.erasure import audit_scrub
from press.models import Delivery, Distribution

logger = logging.getLogger(__name__)

DELIVERY_FIELDS = ("email", "last_response")


def deliveries_reduce(*, distribution: Distribution, now: datetime | None = None) -> dict:
    """Keep the counts per state on the distribution, remove its delivery rows and take
    their addresses out of their audit entries. Returns the counts."""
    now = now or timezone.now()
    with transaction.atomic():
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if distribution.deliveries_reduced_at is not None:
            return distribution.delivery_counts or {}
        deliveries = Delivery.objects.filter(distribution=distribution)
        counts = dict(deliveries.values_list("state").annotate(count=Count("pk")).order_by())
        rows = list(deliveries.values_list("pk", "email"))
        audit_scrub(
            model=Delivery,
            values_by_pk={pk: [email] for pk, email in rows},
            fields=DELIVERY_FIELDS,
        )
        # An entry for each removed row would name its recipient again.
        with disable_auditlog():
            deliveries.delete()
        distribution.delivery_counts = counts
        distribution.deliveries_reduced_at = now
        distribution.save(update_fields=["delivery_counts", "deliveries_reduced_at"])
        audit_event(
            obj=distribution,
            event=Event.DELIVERIES_REDUCED,
            counts=counts,
            deliveries=[pk for pk, _ in rows],
        )
    logger.info(
        "Retention: reduced the %s deliveries of distribution %s to counts: %s",
        len(rows),
        distribution.pk,
        counts,
    )
    return counts


def deliveries_reduce_expired(*, now: datetime | None = None) -> list[int]:
    """Reduce every distribution finished more than RETENTION_DELIVERY_DAYS ago: the daily
    task. Returns the ids of the distributions reduced; a second run reduces none."""
    now = now or timezone.now()
    due = Distribution.objects.filter(
        status__in=[Distribution.Status.DONE, Distribution.Status.CANCELLED],
        finished_at__lt=now - timedelta(days=settings.RETENTION_DELIVERY_DAYS),
        deliveries_reduced_at__isnull=True,
    ).order_by("pk")
    reduced = []
    for distribution in due:
        deliveries_reduce(distribution=distribution, now=now)
        reduced.append(distribution.pk)
    logger.info("Retention: reduced %s distributions' deliveries to counts", len(reduced))
    return reduced
