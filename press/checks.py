"""System checks: an email service's webhook must be able to tell its calls from forgeries."""

from django.conf import settings
from django.core import checks


def email_service_webhook_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A webhook anyone can call suppresses any address and marks any delivery bounced."""
    provider = settings.EMAIL_PROVIDER
    if not provider:
        return []
    anymail = getattr(settings, "ANYMAIL", {})
    signing_setting = settings.EMAIL_PROVIDERS[provider]
    if signing_setting:
        if anymail.get(signing_setting):
            return []
        return [
            checks.Error(
                f"EMAIL_PROVIDER is {provider}, whose webhook calls are signed, but "
                "EMAIL_PROVIDER_WEBHOOK_SIGNING_KEY is empty.",
                hint=f"Set it to the webhook signing key shown in {provider}'s settings.",
                id="press.E001",
            )
        ]
    if ":" in anymail.get("WEBHOOK_SECRET", ""):
        return []
    return [
        checks.Error(
            f"EMAIL_PROVIDER is {provider}, whose webhook calls carry nothing but a basic-auth "
            "secret, and EMAIL_PROVIDER_WEBHOOK_SECRET is not a user:password.",
            hint="Set it to a random user:password and give the service the webhook address "
            f"https://user:password@<your host>/anymail/{provider}/tracking/.",
            id="press.E002",
        )
    ]


def register() -> None:
    checks.register(email_service_webhook_check, checks.Tags.security)
