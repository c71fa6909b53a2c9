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


def kept(html: str = "<p style='color: red'>HTML text</p><script>alert(1)</script>") -> Message:
    return Message.objects.create(
        from_email="coalition@example.org",
        to="a@example.org",
        subject="Please approve",
        body="Plain text part",
        html_body=html,
        raw="From: coalition@example.org\nTo: a@example.org\nSubject: Please approve\n\nPlain",
    )


def test_an_email_is_shown_in_a_sandboxed_frame_with_its_text_and_headers(client, staff):
    message = kept()
    client.force_login(staff)
    detail = client.get(reverse("admin:devmail_message_change", args=[message.pk])).text
    frame = reverse("admin:devmail_message_html", args=[message.pk])
    assert f'<iframe sandbox="" src="{frame}"' in detail
    # The HTML is never part of the admin's page itself.
    assert "alert(1)" not in detail
    assert '<pre class="devmail-text" dir="auto">Plain text part</pre>' in detail
    assert '<th scope="row">Subject</th><td><bdi>Please approve</bdi></td>' in detail


def test_the_frame_serves_the_html_under_a_policy_that_runs_and_loads_nothing(client, staff):
    message = kept()
    client.force_login(staff)
    response = client.get(reverse("admin:devmail_message_html", args=[message.pk]))
    assert response.status_code == 200
    assert response.text == message.html_body
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'self'; sandbox"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_outsiders_cannot_read_an_emails_html(client):
    response = client.get(reverse("admin:devmail_message_html", args=[kept().pk]))
    assert response.status_code == 302
