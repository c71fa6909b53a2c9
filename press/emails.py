"""The press emails: the release as each journalist gets it, and the test copy for staff."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.encoding import iri_to_uri

from core.emails import PlainHeader, build
from core.links import absolute, absolute_reverse
from core.tokens import token_new
from press.models import Delivery
from statements.models import OutgoingEmail, Statement
from statements.selectors import statement_context

# The unsubscribe link of a staff test copy: its page says so and unsubscribes nobody.
TEST_COPY_TOKEN = "test-copy"


def press_parts(statement: Statement) -> dict:
    """The statement's parts for press emails: read once per batch, not per recipient."""
    return statement_context(statement)


def press_release_email(delivery: Delivery, parts: dict) -> tuple[EmailMultiAlternatives, dict]:
    """The statement in full for one journalist, with their own unsubscribe and preview links.

    Returns the email and the hashes of its links' tokens, for the caller to store
    on the delivery before the email can leave.
    """
    distribution = delivery.distribution
    statement = distribution.statement
    unsubscribe_raw, unsubscribe_hash = token_new()
    fields = {"unsubscribe_token_hash": unsubscribe_hash}
    embargo = distribution.embargoed_until if not statement.is_public() else None
    preview_url = ""
    if embargo:
        preview_raw, fields["preview_token_hash"] = token_new()
        preview_url = absolute_reverse("press_preview", preview_raw)
    unsubscribe_url = absolute_reverse("press_unsubscribe", unsubscribe_raw)
    context = parts | {
        "distribution": distribution,
        "embargo": embargo,
        "preview_url": preview_url,
        "statement_url": absolute(statement.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
        **_list_headers(unsubscribe_url),
    }
    message = build("press_release", context, [delivery.email], headers=headers)
    _reply_to(message, distribution)
    return message, fields


def _list_headers(unsubscribe_url: str) -> dict[str, PlainHeader]:
    """One-click unsubscribe (RFC 8058), written as the RFCs want it, not encoded."""
    return {
        "List-Unsubscribe": PlainHeader("List-Unsubscribe", f"<{iri_to_uri(unsubscribe_url)}>"),
        "List-Unsubscribe-Post": PlainHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    }


def _reply_to(message: EmailMultiAlternatives, distribution) -> None:
    if distribution.reply_to and distribution.reply_to.email:
        message.reply_to = [distribution.reply_to.email]


def press_test_copy_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    """What journalists will get, headers included, for staff to check; its links lead
    nowhere that acts."""
    distribution = email.press_test_copy.distribution
    statement = distribution.statement
    embargo = statement.publish_at if not statement.is_public() else None
    unsubscribe_url = absolute_reverse("press_unsubscribe", TEST_COPY_TOKEN)
    context = press_parts(statement) | {
        "distribution": distribution,
        "embargo": embargo,
        "preview_url": absolute_reverse("admin:statements_statement_preview", statement.pk),
        "statement_url": absolute(statement.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    message = build(
        "press_release", context, email.recipients(), headers=_list_headers(unsubscribe_url)
    )
    message.subject = f"[Test] {message.subject}"
    _reply_to(message, distribution)
    return message
