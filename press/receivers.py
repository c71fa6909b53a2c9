"""Where press hears of what other apps do: a statement published, corrected or
retracted, an email service's report on a message, an owed email that is a press test
copy."""

from anymail.signals import tracking

from press import emails, services
from statements.emails import outgoing_builder_register
from statements.models import OutgoingEmail
from statements.signals import statement_corrected, statement_published, statement_retracted


def published(sender, statement, **kwargs) -> None:
    services.distributions_at_publication(statement)


def corrected(sender, statement, update, notify_press: bool, **kwargs) -> None:
    if notify_press:
        services.correction_notice_send(update=update)


def retracted(sender, statement, notify_press: bool, **kwargs) -> None:
    if notify_press:
        services.retraction_notice_send(statement=statement)


def tracked(sender, event, esp_name, **kwargs) -> None:
    services.delivery_tracked(
        event_type=event.event_type,
        message_id=event.message_id or "",
        recipient=event.recipient or "",
        detail=f"{esp_name}: {event.description or event.reject_reason or ''}",
    )


def connect() -> None:
    statement_published.connect(published, dispatch_uid="press.published")
    statement_corrected.connect(corrected, dispatch_uid="press.corrected")
    statement_retracted.connect(retracted, dispatch_uid="press.retracted")
    tracking.connect(tracked, dispatch_uid="press.delivery_tracked")
    outgoing_builder_register(OutgoingEmail.Kind.PRESS_TEST, emails.press_test_copy_email)
