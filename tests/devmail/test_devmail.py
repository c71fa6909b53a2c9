import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from devmail.models import Message

pytestmark = pytest.mark.django_db

OUTBOX = {"default": {"BACKEND": "devmail.backends.DevMailBackend"}}


@override_settings(MAILERS=OUTBOX)
def test_the_outbox_keeps_each_email_for_staff_to_read(client, staff):
    email = mail.EmailMultiAlternatives(
        "Please approve", "Plain text", "coalition@example.org", ["a@example.org", "b@example.org"]
    )
    email.attach_alternative("<p>HTML text</p>", "text/html")
    assert email.send() == 1

    message = Message.objects.get()
    assert message.subject == "Please approve"
    assert message.to == "a@example.org\nb@example.org"
    assert message.body == "Plain text"
    assert message.html_body == "<p>HTML text</p>"
    assert "Subject: Please approve" in message.raw

    client.force_login(staff)
    listing = client.get(reverse("admin:devmail_message_changelist")).content.decode()
    assert "Please approve" in listing
    detail = client.get(reverse("admin:devmail_message_change", args=[message.pk])).content.decode()
    assert "Plain text" in detail


def test_outsiders_cannot_read_the_outbox(client):
    response = client.get(reverse("admin:devmail_message_changelist"))
    assert response.status_code == 302
