"""The checks refuse an email service whose webhook anyone could call."""

import pytest

from press.checks import email_service_webhook_check


def errors(settings, provider: str, **anymail) -> list[str]:
    settings.EMAIL_PROVIDER = provider
    settings.ANYMAIL = anymail
    return [message.id for message in email_service_webhook_check(None)]


def test_no_email_service_needs_no_secret(settings):
    assert errors(settings, "") == []


@pytest.mark.parametrize("provider", ["postmark", "mailjet", "brevo", "amazon_ses", "sparkpost"])
def test_a_service_that_signs_nothing_needs_the_basic_auth_secret(settings, provider):
    assert errors(settings, provider) == ["press.E002"]
    assert errors(settings, provider, WEBHOOK_SECRET="no-colon") == ["press.E002"]
    assert errors(settings, provider, WEBHOOK_SECRET="hook:a-long-secret") == []


@pytest.mark.parametrize(
    ("provider", "key"),
    [
        ("mailgun", "MAILGUN_WEBHOOK_SIGNING_KEY"),
        ("mailersend", "MAILERSEND_SIGNING_SECRET"),
        ("mandrill", "MANDRILL_WEBHOOK_KEY"),
    ],
)
def test_a_service_that_signs_its_calls_needs_its_signing_key(settings, provider, key):
    assert errors(settings, provider, WEBHOOK_SECRET="hook:a-long-secret") == ["press.E001"]
    assert errors(settings, provider, **{key: "the-key"}) == []
