import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.models import Contact, Organization, PressList, Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries, sweep_deliveries
from statements.models import PressContact, Statement
from statements.services import lifecycle
from tests.factories import make_contact, make_organization, make_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def make_journalists(count: int, press_list: PressList | None = None) -> list[Contact]:
    outlet = make_organization(kind=Organization.Kind.MEDIA)
    contacts = Contact.objects.bulk_create(
        Contact(organization=outlet, name=f"Journalist {i}", email=f"j{i}@news.example.org")
        for i in range(count)
    )
    if press_list:
        press_list.contacts.add(*contacts)
    return contacts


def make_distribution(statement=None, *, lists=(), contacts=(), **fields) -> Distribution:
    statement = statement or make_statement(status=Statement.Status.PUBLISHED)
    distribution = Distribution.objects.create(
        statement=statement, subject=fields.pop("subject", "Joint statement"), **fields
    )
    distribution.press_lists.add(*lists)
    distribution.contacts.add(*contacts)
    return distribution


@pytest.fixture
def desk() -> PressList:
    return PressList.objects.create(name="US national desks")


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_confirming_sends_once_to_each_recipient_and_skips_the_suppressed(
    desk, django_capture_on_commit_callbacks
):
    journalists = make_journalists(5, desk)
    extra = make_contact(email="extra@news.example.org")
    also_on_list = journalists[0]
    suppression_add(email="J1@news.example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    distribution = make_distribution(lists=[desk], contacts=[extra, also_on_list])
    assert press.distribution_counts(distribution) == (5, 1)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution)
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
    desk, django_capture_on_commit_callbacks
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
        press.distribution_confirm(distribution=distribution)
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


def test_running_a_batch_twice_or_in_two_workers_sends_nothing_twice(desk):
    make_journalists(120, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution)  # rows written, tasks never run
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
    # of a thousand rows; the distribution's status; the ids of the pending rows.
    assert len(queries) == 16
    # Batches of 500 rows: never a task per recipient.
    assert len(queued) == 20
    assert (queued[0][1], queued[-1][2]) == (
        distribution.deliveries.order_by("pk").first().pk,
        distribution.deliveries.order_by("pk").last().pk,
    )


def test_unsubscribing_needs_a_post_and_works_without_cookies(
    client, desk, django_capture_on_commit_callbacks
):
    make_journalists(1, desk)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=make_distribution(lists=[desk]))
    path = link_in_mail("/press/unsubscribe/").removeprefix(SITE)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop our press emails to" in page.content.decode()
    assert not Suppression.objects.exists()
    # A provider's one-click POST: no cookie, no CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "is now unsubscribed" in response.content.decode()
    assert Suppression.objects.active().get().email == "j0@news.example.org"
    again = csrf_client.post(path)
    assert "is already unsubscribed" in again.content.decode()
    assert Suppression.objects.count() == 1


def test_a_later_send_skips_whoever_unsubscribed(desk, django_capture_on_commit_callbacks):
    make_journalists(2, desk)
    suppression_add(email="j0@news.example.org", reason=Suppression.Reason.COMPLAINT)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=make_distribution(lists=[desk]))
    assert sent_to() == ["j1@news.example.org"]


def test_under_embargo_the_email_says_so_and_links_to_a_private_preview(
    client, desk, django_capture_on_commit_callbacks
):
    make_journalists(1, desk)
    statement = make_statement(title="Embargoed words")
    embargo = timezone.now() + datetime.timedelta(hours=5)
    lifecycle.statement_schedule(statement=statement, publish_at=embargo)
    distribution = make_distribution(statement, lists=[desk], when=Distribution.When.NOW)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution)
    [message] = mail.outbox
    local_embargo = timezone.localtime(embargo)
    assert message.subject.startswith(f"EMBARGOED UNTIL {local_embargo:%-d %B %Y, %H:%M} UTC")
    assert message.body.startswith("EMBARGOED UNTIL")
    preview = link_in_mail("/press/preview/", message).removeprefix(SITE)
    response = client.get(preview)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Embargoed words" in response.content.decode()
    assert client.get(statement.get_absolute_url()).status_code == 404

    lifecycle.statements_publish_due(now=embargo + datetime.timedelta(seconds=1))
    after = client.get(preview)
    assert after.status_code == 302
    assert after["Location"] == statement.get_absolute_url()


def test_sending_before_publication_needs_an_embargo_time(desk):
    make_journalists(1, desk)
    distribution = make_distribution(make_statement(), lists=[desk], when=Distribution.When.NOW)
    with pytest.raises(ValidationError) as error:
        press.distribution_confirm(distribution=distribution)
    assert error.value.code == "no_embargo_time"
    assert not Delivery.objects.exists()


def test_a_distribution_waits_for_publication(desk, django_capture_on_commit_callbacks):
    make_journalists(2, desk)
    statement = make_statement()
    distribution = make_distribution(statement, lists=[desk])
    press.distribution_confirm(distribution=distribution)
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_publish(statement=statement)
    assert len(mail.outbox) == 2
    assert "EMBARGOED" not in mail.outbox[0].subject


def test_the_sweep_returns_rows_a_dead_worker_held(desk, django_capture_on_commit_callbacks):
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    distribution.deliveries.update(state=Delivery.State.SENDING, claimed_at=long_ago)
    assert sweep_deliveries.delay().get() == 1
    assert len(mail.outbox) == 3
    assert set(distribution.deliveries.values_list("state", flat=True)) == {"sent"}


def test_staff_see_counts_then_confirm_in_the_admin(
    client, desk, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    make_journalists(3, desk)
    suppression_add(email="j2@news.example.org", reason=Suppression.Reason.HARD_BOUNCE)
    distribution = make_distribution(lists=[desk])
    url = reverse("admin:press_distribution_confirm", args=[distribution.pk])
    html = client.get(url).content.decode()
    assert "<strong>2</strong> journalists will receive it; <strong>1</strong> suppressed" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 2
    change = client.get(reverse("admin:press_distribution_change", args=[distribution.pk]))
    assert "sent: 2" in change.content.decode()


def test_staff_send_themselves_a_test_copy(client, desk, django_capture_on_commit_callbacks):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:press_distribution_test", args=[distribution.pk]))
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "[Test] Joint statement"
    assert not Delivery.objects.exists()


def test_the_rate_limit_holds_sending_until_the_next_minute(desk, settings, monkeypatch):
    settings.PRESS_RATE_PER_MINUTE = 2
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution)
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


def test_staff_stop_a_distribution_and_nobody_else_receives_it(client, desk):
    editor = User.objects.create_superuser("editor", "editor@example.org", "pw")
    make_journalists(30, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution)  # rows written, tasks never run
    ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))
    assert send_deliveries.delay(distribution.pk, ids[0], ids[9]).get() == 10
    cancel = reverse("admin:press_distribution_cancel", args=[distribution.pk])

    client.force_login(User.objects.create_user("outsider", "o@example.org", "pw"))
    assert client.post(cancel).status_code == 302  # to the login page
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.SENDING

    client.force_login(editor)
    page = client.get(cancel)
    assert "Sent so far: <strong>10</strong>. Not sent yet: <strong>20</strong>" in page.text
    response = client.post(cancel)
    assert response.status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CANCELLED
    assert press.delivery_progress(distribution)["cancelled"] == 20

    assert send_deliveries.delay(distribution.pk, ids[0], ids[-1]).get() == 0
    assert sweep_deliveries.delay().get() == 0
    assert len(mail.outbox) == 10
    with pytest.raises(ValidationError) as refused:
        press.distribution_cancel(distribution=distribution)
    assert refused.value.code == "not_cancellable"
