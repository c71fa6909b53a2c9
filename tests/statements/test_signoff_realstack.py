"""Sign-off reminders end to end: a real Celery worker, a real SMTP server, the links."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from statements.models import OutgoingEmail, SignoffAnswer, SignoffEvent, SignoffRequest
from statements.services.signoff import signoff_requests_send
from statements.tasks import send_signoff_reminders
from tests.factories import make_contact, make_signatures, make_statement
from tests.support import links_in, smtp_server, wait_for

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


def all_sent() -> bool:
    return not OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True).exists()


def signoff_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    [link] = [link for link in links_in(text) if "/signoff/" in link]
    return urlsplit(link).path


def remind(finished) -> int:
    """Run the reminder task through the broker; what it returned once every email is sent."""
    result = send_signoff_reminders.delay()
    assert wait_for(lambda: result.id in finished), "the worker is stuck"
    assert wait_for(all_sent), "the worker did not send what it owes"
    return finished[result.id]


def test_each_waiting_contact_is_reminded_once_a_day(
    client, celery_worker, smtp_port, finished, staff
):
    statement = make_statement(title="Lift the siege on the eastern districts")
    signatures = make_signatures(statement, 5)
    first, second, answered, revoked, late = (s.organization for s in signatures)
    waiting = [
        make_contact(organization=first, email="amal@first.example.org"),
        make_contact(organization=second, email="bilal@second.example.org"),
    ]
    # Two people at one organization: once one answers, the other owes nothing.
    answerer = make_contact(organization=answered, email="carla@answered.example.org")
    colleague = make_contact(organization=answered, email="dina@answered.example.org")
    replaced = make_contact(organization=revoked, email="eli@revoked.example.org")
    too_late = make_contact(organization=late, email="farah@late.example.org")
    contacts = [*waiting, answerer, colleague, replaced, too_late]

    now = timezone.now()
    with smtp_server(smtp_port) as smtp:
        requests = signoff_requests_send(
            statement=statement,
            contacts=contacts,
            deadline=now + datetime.timedelta(days=3),
            note="Please check the figures.",
            by=staff,
        )
        assert wait_for(lambda: len(smtp.received) == len(contacts)), "requests not all sent"
        assert wait_for(all_sent), "requests not all marked sent"

        # The first contact at the answering organization approves through their link.
        [asked] = [m for rcpt, m in smtp.received if rcpt == [answerer.email]]
        assert client.post(signoff_link(asked), {"decision": "approved"}).status_code == 302
        assert SignoffAnswer.objects.get().contact == answerer

        # All were asked yesterday; one was replaced since, one's deadline has passed.
        by_contact = {r.contact_id: r for r in requests}
        SignoffRequest.objects.update(created_at=now - datetime.timedelta(days=1))
        SignoffRequest.objects.filter(pk=by_contact[replaced.pk].pk).update(revoked_at=now)
        SignoffRequest.objects.filter(pk=by_contact[too_late.pk].pk).update(
            deadline=now - datetime.timedelta(hours=1)
        )
        smtp.received.clear()

        # The daily run, twice in a row, as after a beat restart or a redelivery.
        first_run = send_signoff_reminders.delay()
        second_run = send_signoff_reminders.delay()
        assert wait_for(lambda: first_run.id in finished and second_run.id in finished), (
            "the worker is stuck"
        )
        assert sorted([finished[first_run.id], finished[second_run.id]]) == [0, 2]
        assert wait_for(all_sent), "the worker did not send the reminders"
        assert wait_for(lambda: len(smtp.received) >= 2)

        assert sorted(rcpt for rcpt, _ in smtp.received) == [[c.email] for c in waiting]
        for rcpt, message in smtp.received:
            assert message["To"] == rcpt[0]
            assert message["Subject"].startswith("Reminder: ")
            assert message["Subject"].endswith(": Lift the siege on the eastern districts")
            response = client.get(signoff_link(message))
            assert response.status_code == 200
            assert b"Your answer on version 1" in response.content

        # Again the same day: nobody is reminded twice.
        assert remind(finished) == 0
        assert len(smtp.received) == 2

    reminded = SignoffEvent.objects.filter(kind=SignoffEvent.Kind.REMINDED)
    assert sorted(reminded.values_list("contact__email", flat=True)) == [c.email for c in waiting]
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SIGNOFF_REMINDER).count() == 2
