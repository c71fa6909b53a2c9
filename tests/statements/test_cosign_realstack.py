"""Co-signing end to end: the form, a real Celery worker, a real SMTP server, the link."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from statements.models import OutgoingEmail, Signature
from statements.tasks import send_email, send_unsent_emails
from tests.factories import cosign_data, make_open_statement
from tests.support import links_in, smtp_server, wait_for

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]

SIGNER = "layla@rukban.example.org"


def sign(client, statement) -> None:
    response = client.post(reverse("cosign", args=[statement.slug]), cosign_data())
    assert response.status_code == 302


def message_id(outgoing: OutgoingEmail) -> str:
    return f"<outgoing-{outgoing.pk}@{django_settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def test_a_partner_signs_gets_one_email_and_confirms_with_its_link(
    client, celery_worker, smtp_port, finished
):
    statement = make_open_statement()
    with smtp_server(smtp_port) as smtp:
        sign(client, statement)
        outgoing = OutgoingEmail.objects.get()
        assert wait_for(lambda: smtp.received), "the worker sent no email"
        assert wait_for(
            lambda: OutgoingEmail.objects.filter(pk=outgoing.pk, sent_at__isnull=False).exists()
        ), "the email was not marked sent"

        [(recipients, message)] = smtp.received
        assert recipients == [SIGNER]
        assert message["To"] == SIGNER
        assert message["Subject"] == f"Confirm your signature: {statement.title}"
        assert message["Message-ID"] == message_id(outgoing)
        assert message.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in message.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
        text = message.get_body(("plain",)).get_content()
        [confirm] = [link for link in links_in(text) if "/signatures/confirm/" in link]

        response = client.post(urlsplit(confirm).path)
        assert response.status_code == 302
        assert Signature.objects.get().state == Signature.State.CONFIRMED

        # A duplicate task and a sweep, as after a broker redelivery or a slow worker.
        sent = OutgoingEmail.objects.get(pk=outgoing.pk)
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(
            next_attempt_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        again = send_email.delay(outgoing.pk)
        sweep = send_unsent_emails.delay()
        assert wait_for(lambda: again.id in finished and sweep.id in finished), (
            "the worker is stuck"
        )
        assert finished[again.id] is False
        assert finished[sweep.id] == 0

        assert len(smtp.received) == 1
        outgoing.refresh_from_db()
        assert (outgoing.attempts, outgoing.sent_at) == (1, sent.sent_at)


def test_an_email_the_server_could_not_take_is_sent_once_it_is_back(
    client, celery_worker, smtp_port, finished
):
    statement = make_open_statement()
    sign(client, statement)
    outgoing = OutgoingEmail.objects.get()

    def failed_and_released() -> bool:
        outgoing.refresh_from_db()
        return outgoing.last_error != "" and outgoing.claimed_at is None

    assert wait_for(failed_and_released), "the worker did not try to send"
    assert outgoing.sent_at is None
    assert outgoing.failed_at is None
    assert "Connection refused" in outgoing.last_error

    with smtp_server(smtp_port) as smtp:
        # Its retry time comes: the sweep sends it.
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        sweep = send_unsent_emails.delay()
        assert wait_for(lambda: smtp.received), "the email was never sent"
        assert wait_for(lambda: sweep.id in finished)
        assert wait_for(
            lambda: OutgoingEmail.objects.filter(pk=outgoing.pk, sent_at__isnull=False).exists()
        )

        again = send_email.delay(outgoing.pk)
        assert wait_for(lambda: again.id in finished), "the worker is stuck"
        assert finished[again.id] is False

        [(recipients, message)] = smtp.received
        assert recipients == [SIGNER]
        assert message["Message-ID"] == message_id(outgoing)
        outgoing.refresh_from_db()
        assert outgoing.last_error == ""
        assert outgoing.failed_at is None
