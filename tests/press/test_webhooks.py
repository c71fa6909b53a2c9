"""Bounces and complaints reported by an email service's signed webhook (Mailgun's here),
and no webhook at all for the services not in use.

The service itself lives outside this machine; its webhook calls are made up here,
signed the way it signs them.
"""

import base64
import hashlib
import hmac
import importlib
import json
import time
from contextlib import contextmanager

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import config.urls
import press.urls
from organizations.models import Suppression
from press.models import Delivery, Distribution
from tests.factories import make_contact, make_statement

pytestmark = pytest.mark.django_db

SIGNING_KEY = "mailgun-signing-key"
BASIC = "hook:secret-for-the-webhook"
URL = "/anymail/mailgun/tracking/"


def _urls_reloaded() -> None:
    # The URLs read EMAIL_PROVIDER once, when they are imported, as at start-up.
    importlib.reload(press.urls)
    importlib.reload(config.urls)
    clear_url_caches()


@contextmanager
def email_service(provider: str, **anymail):
    """The site as started with EMAIL_PROVIDER=provider and these ANYMAIL settings."""
    with override_settings(EMAIL_PROVIDER=provider, ANYMAIL=anymail):
        _urls_reloaded()
        try:
            yield
        finally:
            _urls_reloaded()


@pytest.fixture(autouse=True)
def mailgun():
    with email_service(
        "mailgun",
        MAILGUN_API_KEY="key",
        MAILGUN_WEBHOOK_SIGNING_KEY=SIGNING_KEY,
        WEBHOOK_SECRET=BASIC,
    ):
        yield


def make_delivery(**fields) -> Delivery:
    distribution = Distribution.objects.create(statement=make_statement(), subject="Release")
    contact = make_contact(email="desk@news.example.org")
    return Delivery.objects.create(
        distribution=distribution, contact=contact, email=contact.email, **fields
    )


def webhook(client, event: dict, *, key: str = SIGNING_KEY):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    body = {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"timestamp": time.time(), **event},
    }
    auth = base64.b64encode(BASIC.encode()).decode()
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Basic {auth}"
    )


def bounce(message_id: str, severity: str = "permanent") -> dict:
    return {
        "event": "failed",
        "severity": severity,
        "reason": "bounce",
        "recipient": "desk@news.example.org",
        "message": {"headers": {"message-id": message_id}},
        "delivery-status": {"description": "No such mailbox"},
    }


def test_a_hard_bounce_marks_the_delivery_and_suppresses_the_address(client):
    delivery = make_delivery(state=Delivery.State.SENT, provider_message_id="<abc@mailgun.example>")
    assert webhook(client, bounce("abc@mailgun.example")).status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.BOUNCED
    suppression = Suppression.objects.active().get()
    assert (suppression.email, suppression.reason) == ("desk@news.example.org", "hard_bounce")


def test_a_complaint_suppresses_the_address(client):
    delivery = make_delivery(state=Delivery.State.SENT, provider_message_id="<c@mailgun.example>")
    event = {
        "event": "complained",
        "recipient": "desk@news.example.org",
        "message": {"headers": {"message-id": "c@mailgun.example"}},
    }
    webhook(client, event)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.COMPLAINED
    assert Suppression.objects.active().get().reason == "complaint"


def test_a_temporary_failure_suppresses_nothing(client):
    make_delivery(state=Delivery.State.SENT, provider_message_id="<t@mailgun.example>")
    webhook(client, bounce("t@mailgun.example", severity="temporary"))
    assert not Suppression.objects.exists()
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_webhook_with_a_bad_signature_changes_nothing(client):
    make_delivery(state=Delivery.State.SENT, provider_message_id="<abc@mailgun.example>")
    response = webhook(client, bounce("abc@mailgun.example"), key="not-the-key")
    assert response.status_code == 400
    assert not Suppression.objects.exists()
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_our_own_message_id_finds_the_delivery_too(client, settings):
    delivery = make_delivery(state=Delivery.State.SENT)
    webhook(client, bounce(f"delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}"))
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.BOUNCED


def forged_postmark_bounce(client):
    """What anyone on the internet can post: Postmark's bounce report, with no secret."""
    body = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "MessageID": "abc@postmark.example",
        "Email": "desk@news.example.org",
        "Description": "No such mailbox",
    }
    return client.post(
        "/anymail/postmark/tracking/", json.dumps(body), content_type="application/json"
    )


def test_without_an_email_service_no_webhook_answers(client):
    make_delivery(state=Delivery.State.SENT, provider_message_id="<abc@postmark.example>")
    with email_service("", WEBHOOK_SECRET=""):
        assert forged_postmark_bounce(client).status_code == 404
        for provider in ["mailgun", "mailjet", "brevo", "sendgrid", "amazon_ses"]:
            assert client.post(f"/anymail/{provider}/tracking/").status_code == 404
    assert not Suppression.objects.exists()
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_only_the_webhook_of_the_service_in_use_answers(client):
    make_delivery(state=Delivery.State.SENT, provider_message_id="<abc@postmark.example>")
    assert forged_postmark_bounce(client).status_code == 404
    for provider in ["mailjet", "brevo", "sendgrid", "amazon_ses", "mandrill"]:
        assert client.post(f"/anymail/{provider}/tracking/").status_code == 404
    assert client.post("/anymail/mailgun/inbound/").status_code == 404
    # Mailgun's own answers, unsigned: refused, but there.
    assert client.post(URL).status_code == 400
    assert not Suppression.objects.exists()


def test_a_webhook_call_without_the_basic_auth_secret_changes_nothing(client):
    make_delivery(state=Delivery.State.SENT, provider_message_id="<abc@postmark.example>")
    with email_service("postmark", POSTMARK_SERVER_TOKEN="token", WEBHOOK_SECRET=BASIC):
        assert forged_postmark_bounce(client).status_code == 400
    assert not Suppression.objects.exists()
    assert Delivery.objects.get().state == Delivery.State.SENT
