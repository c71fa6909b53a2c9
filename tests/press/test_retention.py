"""A press send's deliveries are reduced to counts per state once kept long enough."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.utils import timezone

from organizations.models import Contact, Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.retention import deliveries_reduce_expired
from press.tasks import reduce_old_deliveries
from tests.factories import make_distribution, make_journalists, make_staff
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def sent(desk, django_capture_on_commit_callbacks, journalists=4) -> Distribution:
    """A distribution sent to the desk, one of whose journalists is suppressed."""
    make_journalists(journalists, desk)
    suppression_add(email="j0@news.example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=make_staff())
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DONE
    return distribution


def finished(distribution: Distribution, days: int) -> Distribution:
    Distribution.objects.filter(pk=distribution.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=days)
    )
    return distribution


def test_a_distribution_finished_past_the_retention_time_keeps_only_its_counts(
    desk, django_capture_on_commit_callbacks
):
    distribution = finished(
        sent(desk, django_capture_on_commit_callbacks), settings.RETENTION_DELIVERY_DAYS + 1
    )
    before = press.delivery_progress(distribution)

    assert deliveries_reduce_expired() == [distribution.pk]

    distribution.refresh_from_db()
    assert distribution.delivery_counts == {"sent": 3, "suppressed": 1}
    assert distribution.deliveries_reduced_at is not None
    assert not Delivery.objects.exists()
    assert press.delivery_progress(distribution) == before
    # The journalists and the suppression are not deliveries: they stay.
    assert Contact.objects.count() == 4
    assert Suppression.objects.active().get().email == "j0@news.example.org"


def test_a_distribution_finished_more_recently_keeps_its_deliveries(
    desk, django_capture_on_commit_callbacks
):
    distribution = finished(
        sent(desk, django_capture_on_commit_callbacks), settings.RETENTION_DELIVERY_DAYS - 1
    )

    assert deliveries_reduce_expired() == []
    assert distribution.deliveries.count() == 4


def test_a_distribution_still_sending_keeps_its_deliveries(desk):
    make_journalists(2, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_start(distribution=distribution)
    Distribution.objects.filter(pk=distribution.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=1000)
    )

    assert deliveries_reduce_expired() == []
    assert distribution.deliveries.count() == 2


def test_a_stopped_distribution_is_reduced_too(desk):
    make_journalists(2, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_start(distribution=distribution)
    press.distribution_cancel(distribution=distribution, by=make_staff())
    finished(distribution, settings.RETENTION_DELIVERY_DAYS + 1)

    assert deliveries_reduce_expired() == [distribution.pk]
    distribution.refresh_from_db()
    assert distribution.delivery_counts == {"cancelled": 2}


def test_reducing_is_audited_and_a_second_run_reduces_nothing(
    desk, django_capture_on_commit_callbacks
):
    distribution = finished(
        sent(desk, django_capture_on_commit_callbacks), settings.RETENTION_DELIVERY_DAYS + 1
    )
    ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))

    assert reduce_old_deliveries() == 1
    assert reduce_old_deliveries() == 0

    entry = LogEntry.objects.get(additional_data__event="deliveries_reduced")
    assert entry.object_pk == str(distribution.pk)
    assert entry.additional_data["counts"] == {"sent": 3, "suppressed": 1}
    assert entry.additional_data["deliveries"] == ids


def test_the_audit_entries_of_removed_deliveries_keep_no_address(
    desk, django_capture_on_commit_callbacks
):
    distribution = sent(desk, django_capture_on_commit_callbacks)
    delivery = distribution.deliveries.get(email="j1@news.example.org")
    entry = LogEntry.objects.log_create(
        delivery,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"state": ["pending", "sent"], "email": ["", "j1@news.example.org"]},
    )
    assert "j1@news.example.org" in entry.object_repr
    finished(distribution, settings.RETENTION_DELIVERY_DAYS + 1)

    deliveries_reduce_expired()

    entry.refresh_from_db()
    assert "j1@news.example.org" not in entry.object_repr
    assert entry.changes == {"state": ["pending", "sent"], "email": ["", "[erased]"]}


def test_an_unsubscribe_link_of_a_removed_delivery_leads_nowhere(
    client, desk, django_capture_on_commit_callbacks
):
    distribution = sent(desk, django_capture_on_commit_callbacks, journalists=2)
    path = link_in_mail("/press/unsubscribe/").removeprefix(SITE)
    finished(distribution, settings.RETENTION_DELIVERY_DAYS + 1)
    deliveries_reduce_expired()

    assert client.post(path).status_code == 404


def test_the_beat_schedule_reduces_deliveries_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["reduce-old-deliveries"]
    assert entry["task"] == "press.tasks.reduce_old_deliveries"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {45}
