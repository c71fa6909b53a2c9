import anymail.urls
from django.conf import settings
from django.urls import include, path

from press import views


def email_service_webhooks(provider: str) -> list:
    """The tracking webhook of the email service in use, and nothing without one.

    Anymail's own URLs hold every service's webhooks, inbound ones too; those of a
    service we do not use would take its forged reports, or fail for want of its keys.
    """
    names = {f"{provider}_tracking_webhook", f"{provider}_webhook"}
    return [pattern for pattern in anymail.urls.urlpatterns if pattern.name in names]


urlpatterns = [
    path("press/unsubscribe/<str:token>/", views.press_unsubscribe, name="press_unsubscribe"),
    path("press/preview/<str:token>/", views.press_preview, name="press_preview"),
]
# The email service's reports: one address, no language.
machine_patterns = []
if settings.EMAIL_PROVIDER:
    machine_patterns.append(
        path("anymail/", include((email_service_webhooks(settings.EMAIL_PROVIDER), "anymail")))
    )
