"""Bounces and complaints reported by an email service's signed webhook (Mailgun's here).

The service itself lives outside this machine; its webhook calls are made up here,
signed the way it signs them.
"""

import base64
import hashlib
import hmac
import json
import time

import pytest

from organizations.models import Suppression
from press.models import Delivery, Distribution
from tests.factories import make_contact, make_statement

pytestmark = pytest.mark.django_db

SIGNING_KEY = "mailgun-signing-key"
BASIC = "hook:secret-for-the-webhook"
URL = "/anymail/mailgun/tracking/"


@pytest.fixture(autouse=True)
def mailgun(settings):
    settings.ANYMAIL = {
        "MAILGUN_API_KEY": "key",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "WEBHOOK_SECRET": BASIC,
    }


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
