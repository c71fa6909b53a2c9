import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organizations.models import Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries, sweep_deliveries
from statements.models import PressContact, Statement
from statements.services import lifecycle
from tests.factories import make_contact, make_distribution, make_journalists, make_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_confirming_sends_once_to_each_recipient_and_skips_the_suppressed(
    desk, django_capture_on_commit_callbacks, staff
):
    journalists = make_journalists(5, desk)
    extra = make_contact(email="extra@news.example.org")
    also_on_list = journalists[0]
    suppression_add(email="J1@news.example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    distribution = make_distribution(lists=[desk], contacts=[extra, also_on_list])
    assert press.distribution_counts(distribution) == (5, 1)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    assert sent_to() == sorted(
        ["extra@news.example.org"] + [f"j{i}@news.example.org" for i in (0, 2, 3, 4)]
    )
    assert press.delivery_progress(distribution) | {} == {
        "pending": 0, "sending": 0, "sent": 5, "failed": 0, "suppressed": 1,
        "bounced": 0, "complained": 0, "cancelled": 0,
    }  # fmt: skip
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DONE


def test_the_email_carries_the_statement_headers_and_one_click_unsubscribe(
    desk, django_capture_on_commit_callbacks, staff
):
    make_journalists(1, desk)
    statement = make_statement(
        status=Statement.Status.PUBLISHED, title="Open the crossings", dateline="GENEVA"
    )
    statement.demands.create(heading="Access", text="Open every crossing.")
    officer = make_contact(name="Sam Okafor", email="press@coalition.example.org")
    PressContact.objects.create(statement=statement, contact=officer)
    distribution = make_distribution(
        statement, lists=[desk], reply_to=officer, note="Embargo-free."
    )
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    [message] = mail.outbox
    delivery = Delivery.objects.get()
    assert message.subject == "Joint statement"
    assert message.reply_to == ["press@coalition.example.org"]
    headers = message.message()
    assert headers["Message-ID"] == f"<delivery-{delivery.pk}@127.0.0.1>"
    unsubscribe = link_in_mail("/press/unsubscribe/", message)
    assert headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for text in [
        "Open the crossings",
        "GENEVA",
        "Access: Open every crossing.",
        "Sam Okafor",
        "Embargo-free.",
    ]:
        assert text in message.body, text
    assert message.alternatives[0][1] == "text/html"


def test_running_a_batch_twice_or_in_two_workers_sends_nothing_twice(desk, staff):
    make_journalists(120, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution, by=staff)  # rows written, tasks never run
    ids = list(distribution.deliveries.values_list("pk", flat=True))
    lo, hi = ids[0], ids[-1]
    assert send_deliveries.delay(distribution.pk, lo, hi).get() == 120
    assert send_deliveries.delay(distribution.pk, lo, hi).get() == 0
    assert len(mail.outbox) == 120
    assert len(set(sent_to())) == 120


def test_starting_ten_thousand_deliveries_takes_a_bounded_number_of_queries(
    desk, django_capture_on_commit_callbacks, monkeypatch
):
    make_journalists(10_000, desk)
    distribution = make_distribution(lists=[desk])
    queued = []
    monkeypatch.setattr(send_deliveries, "delay", lambda *args: queued.append(args))
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        press.distribution_start(distribution=distribution)
    assert Delivery.objects.filter(distribution=distribution).count() == 10_000
    # The transaction's savepoint and its release; recipients; suppressions; ten inserts
    # of a thousand rows; the distribution's status, read before for the audit log and
    # its entry; the ids of the pending rows.
    assert len(queries) == 18
    # Batches of 500 rows: never a task per recipient.
    assert len(queued) == 20
    assert (queued[0][1], queued[-1][2]) == (
        distribution.deliveries.order_by("pk").first().pk,
        distribution.deliveries.order_by("pk").last().pk,
    )


def test_a_later_send_skips_whoever_unsubscribed(desk, django_capture_on_commit_callbacks, staff):
    make_journalists(2, desk)
    suppression_add(email="j0@news.example.org", reason=Suppression.Reason.COMPLAINT)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=make_distribution(lists=[desk]), by=staff)
    assert sent_to() == ["j1@news.example.org"]


def test_sending_before_publication_needs_an_embargo_time(desk, staff):
    make_journalists(1, desk)
    distribution = make_distribution(make_statement(), lists=[desk], when=Distribution.When.NOW)
    with pytest.raises(ValidationError) as error:
        press.distribution_confirm(distribution=distribution, by=staff)
    assert error.value.code == "no_embargo_time"
    assert not Delivery.objects.exists()


def test_a_distribution_waits_for_publication(desk, django_capture_on_commit_callbacks, staff):
    make_journalists(2, desk)
    statement = make_statement()
    distribution = make_distribution(statement, lists=[desk])
    press.distribution_confirm(distribution=distribution, by=staff)
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_publish(statement=statement, by=staff)
    assert len(mail.outbox) == 2
    assert "EMBARGOED" not in mail.outbox[0].subject


def test_the_sweep_returns_rows_a_dead_worker_held(desk, django_capture_on_commit_callbacks, staff):
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution, by=staff)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    distribution.deliveries.update(state=Delivery.State.SENDING, claimed_at=long_ago)
    assert sweep_deliveries.delay().get() == 1
    assert len(mail.outbox) == 3
    assert set(distribution.deliveries.values_list("state", flat=True)) == {"sent"}


def test_the_rate_limit_holds_sending_until_the_next_minute(desk, settings, monkeypatch, staff):
    settings.PRESS_RATE_PER_MINUTE = 2
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution, by=staff)
    waits = []

    def next_minute(seconds):
        waits.append(seconds)
        monkeypatch.setattr(press.time, "time", lambda: real_time() + 60)

    real_time = press.time.time
    monkeypatch.setattr(press.time, "sleep", next_minute)
    ids = list(distribution.deliveries.values_list("pk", flat=True))
    assert send_deliveries.delay(distribution.pk, ids[0], ids[-1]).get() == 3
    assert len(waits) == 1
    assert 0 < waits[0] <= 60.01
    assert len(mail.outbox) == 3
