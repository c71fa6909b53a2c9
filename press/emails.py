"""The press emails: the release as each journalist gets it, the notices of its
correction or retraction, and the test copy for staff.

Each journalist gets the release in their language: the translation in it when the
release has one that is out (or goes out under the same embargo), else the original,
with the words around it (embargo line, headings, unsubscribe) in their language
when the interface speaks it.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from core.datetimes import spelled_datetime
from core.emails import PlainHeader, build
from core.languages import interface_language
from core.links import absolute, absolute_reverse
from core.tokens import token_new
from press.models import Delivery, Distribution
from statements.counts import signed_by_text
from statements.diff import diff_text, versions_compared
from statements.models import OutgoingEmail, Statement, StatementUpdate
from statements.selectors import statement_context

# The unsubscribe link of a staff test copy: its page says so and unsubscribes nobody.
TEST_COPY_TOKEN = "test-copy"
# What a translation shares with its original, read from the original.
SHARED_PARTS = ("issuers", "signatories", "press_contacts")


def release_for(statement: Statement, language: str, release: list[Statement]) -> Statement:
    """What a reader of `language` is sent of `statement`'s release: the statement itself
    for a reader of no known language, else the translation in theirs if it goes out with
    the statement (public, or under the same embargo), else the original."""
    if not language or language == statement.language:
        return statement
    original = release[0]
    found = next((s for s in release if s.language == language), None)
    if found is None:
        return original
    out_together = found.is_public() or (
        not statement.is_public() and found.status == statement.status
    )
    return found if out_together else original


class PressParts:
    """The release's statements and their parts for press emails, read once per batch
    and once per language, not once per recipient."""

    def __init__(self, statement: Statement):
        self.statement = statement
        self.release = statement.release()
        self._contexts: dict[int, dict] = {}
        self._correction: dict | None = None

    def shown(self, language: str) -> Statement:
        return release_for(self.statement, language, self.release)

    def context(self, shown: Statement) -> dict:
        if shown.pk not in self._contexts:
            context = statement_context(shown)
            if shown.pk != self.release[0].pk:
                # Issuers, signatories and press contacts live on the original.
                original = self.context(self.release[0])
                context |= {part: original[part] for part in SHARED_PARTS}
            self._contexts[shown.pk] = context
        return self._contexts[shown.pk]

    def correction(self, distribution: Distribution) -> dict:
        """A correction notice's note, diff and links: the same for each of its readers,
        who all read the corrected statement's language."""
        if self._correction is None:
            self._correction = _correction_context(distribution)
        return self._correction


def press_parts(statement: Statement) -> PressParts:
    return PressParts(statement)


def journalist_language(contact, statement: Statement) -> str:
    """The language of the words around the release (unknown: the statement's)."""
    return interface_language(contact.language or statement.language)


def _release_context(distribution: Distribution, shown: Statement, embargo, parts: dict) -> dict:
    counts = parts["signatory_counts"]
    return {
        "distribution": distribution,
        # The subject staff wrote is in the language of the statement they chose;
        # a translation goes out under its own title.
        "subject": distribution.subject if shown.pk == distribution.statement_id else shown.title,
        "embargo": embargo,
        "embargo_text": spelled_datetime(embargo) if embargo else "",
        "embargo_subject": spelled_datetime(embargo, "medium") if embargo else "",
        "statement_url": absolute(shown.get_absolute_url()),
        # Organizations are named; individuals, who may be thousands, are counted.
        "signed_by": signed_by_text(counts) if counts["individuals"] else "",
    }


def press_release_email(
    delivery: Delivery, parts: PressParts
) -> tuple[EmailMultiAlternatives, dict]:
    """The statement in full for one journalist, in their language, with their own
    unsubscribe and preview links.

    Returns the email and the hashes of its links' tokens, for the caller to store
    on the delivery before the email can leave.
    """
    distribution = delivery.distribution
    shown = parts.shown(delivery.contact.language)
    with translation.override(journalist_language(delivery.contact, distribution.statement)):
        unsubscribe_raw, unsubscribe_hash = token_new()
        fields = {"unsubscribe_token_hash": unsubscribe_hash}
        embargo = distribution.embargoed_until if not distribution.statement.is_public() else None
        preview_url = ""
        if embargo:
            preview_raw, fields["preview_token_hash"] = token_new()
            preview_url = absolute_reverse("press_preview", preview_raw)
        unsubscribe_url = absolute_reverse("press_unsubscribe", unsubscribe_raw)
        shared = parts.context(shown)
        context = (
            shared
            | _release_context(distribution, shown, embargo, shared)
            | {"preview_url": preview_url, "unsubscribe_url": unsubscribe_url}
        )
        headers = {
            "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
            **_list_headers(unsubscribe_url),
        }
        message = build("press_release", context, [delivery.email], headers=headers)
    _reply_to(message, distribution)
    return message, fields


def notice_subject(kind: str, statement: Statement) -> str:
    """A notice's subject, in the language of the statement it is about."""
    with translation.override(interface_language(statement.language)):
        if kind == Distribution.Kind.CORRECTION:
            return gettext("CORRECTION: %(title)s") % {"title": statement.title}
        return gettext("RETRACTED: %(title)s") % {"title": statement.title}


def _correction_context(distribution: Distribution) -> dict:
    update = StatementUpdate.objects.select_related("statement", "version", "previous_version").get(
        pk=distribution.update_id
    )
    old, new = update.previous_version.content, update.version.content
    return {
        "update": update,
        "changes_text": diff_text(old, new),
        "changes": [row for row in versions_compared(old, new) if row["changed"]],
        "statement_url": absolute(update.get_absolute_url()),
        "comparison_url": absolute(update.comparison_url()),
    }


def _retraction_context(shown: Statement) -> dict:
    replacing = shown.corrected_by
    return {
        "replacing": replacing,
        "replacing_url": absolute(replacing.get_absolute_url()) if replacing else "",
        "statement_url": absolute(shown.get_absolute_url()),
    }


def press_notice_email(
    delivery: Delivery, parts: PressParts
) -> tuple[EmailMultiAlternatives, dict]:
    """A correction or retraction notice for one journalist who received the release, in
    the language of the statement they were sent, with the release's headers and their
    own unsubscribe link; returns it with its link's token hash, as press_release_email."""
    distribution = delivery.distribution
    correction = distribution.kind == Distribution.Kind.CORRECTION
    # A correction goes to the readers of the text corrected; a retraction of an original
    # to the readers of each translation retracted with it, in theirs.
    shown = distribution.statement if correction else parts.shown(delivery.contact.language)
    with translation.override(interface_language(shown.language)):
        unsubscribe_raw, unsubscribe_hash = token_new()
        unsubscribe_url = absolute_reverse("press_unsubscribe", unsubscribe_raw)
        context = {
            "statement": shown,
            "subject": notice_subject(distribution.kind, shown),
            "unsubscribe_url": unsubscribe_url,
        } | (parts.correction(distribution) if correction else _retraction_context(shown))
        headers = {
            "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
            **_list_headers(unsubscribe_url),
        }
        message = build(f"press_{distribution.kind}", context, [delivery.email], headers=headers)
    _reply_to(message, distribution)
    return message, {"unsubscribe_token_hash": unsubscribe_hash}


def press_email(delivery: Delivery, parts: PressParts) -> tuple[EmailMultiAlternatives, dict]:
    """What a delivery sends: the release, or a notice about it."""
    if delivery.distribution.kind == Distribution.Kind.RELEASE:
        return press_release_email(delivery, parts)
    return press_notice_email(delivery, parts)


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
    """What journalists of the statement's language will get, headers included, for staff
    to check; its links lead nowhere that acts."""
    distribution = email.press_test_copy.distribution
    statement = distribution.statement
    embargo = statement.publish_at if not statement.is_public() else None
    with translation.override(interface_language(statement.language)):
        unsubscribe_url = absolute_reverse("press_unsubscribe", TEST_COPY_TOKEN)
        shared = press_parts(statement).context(statement)
        context = (
            shared
            | _release_context(distribution, statement, embargo, shared)
            | {
                "preview_url": absolute_reverse("admin:statements_statement_preview", statement.pk),
                "unsubscribe_url": unsubscribe_url,
            }
        )
        message = build(
            "press_release", context, email.recipients(), headers=_list_headers(unsubscribe_url)
        )
        message.subject = gettext("[Test] %(subject)s") % {"subject": message.subject}
    _reply_to(message, distribution)
    return message
