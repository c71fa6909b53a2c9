"""Co-signing end to end: the form, a real Celery worker, a real SMTP server, the link."""

import datetime
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from statements.models import OutgoingEmail, Signature
from statements.tasks import send_email, send_unsent_emails
from tests.statements.cosign_helpers import cosign_data, make_open_statement
from tests.support import links_in, wait_for

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]

SIGNER = "layla@rukban.example.org"


class Recorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture
def smtp_port(settings) -> int:
    """A free port Django's SMTP mailer sends to; the test decides when a server listens."""
    port = free_port()
    # Set here, not in settings.py: the test runner swapped MAILERS for locmem.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    return port


@pytest.fixture
def finished():
    """What each task the worker ran returned, by task id."""
    results: dict[str, object] = {}

    def record(task_id, retval, **kwargs):
        results[task_id] = retval

    task_postrun.connect(record, weak=False)
    yield results
    task_postrun.disconnect(record)


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
