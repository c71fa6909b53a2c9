"""Where press hears of what other apps do: a statement published, an email service's
report on a message, an owed email that is a press test copy."""

from anymail.signals import tracking

from press import emails, services
from statements.emails import outgoing_builder_register
from statements.models import OutgoingEmail
from statements.signals import statement_published


def published(sender, statement, **kwargs) -> None:
    services.distributions_at_publication(statement)


def tracked(sender, event, esp_name, **kwargs) -> None:
    services.delivery_tracked(
        event_type=event.event_type,
        message_id=event.message_id or "",
        recipient=event.recipient or "",
        detail=f"{esp_name}: {event.description or event.reject_reason or ''}",
    )


def connect() -> None:
    statement_published.connect(published, dispatch_uid="press.published")
    tracking.connect(tracked, dispatch_uid="press.delivery_tracked")
    outgoing_builder_register(OutgoingEmail.Kind.PRESS_TEST, emails.press_test_copy_email)
