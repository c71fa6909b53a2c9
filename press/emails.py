"""The press emails: the release as each journalist gets it, the notices of its
correction or retraction, and the test copy for staff.

Each journalist gets the release in their language: the translation in it when the
release has one that is out (or goes out under the same embargo), else the original,
with the words around it (embargo line, headings, unsubscribe) in their language
when the interface speaks it.
"""

import binascii
import datetime as dt
import email.policy
import itertools
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.timezone import get_current_timezone
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
        self._drafts: dict[tuple, ReleaseDraft] = {}

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

    def draft(self, delivery: Delivery, embargo) -> "ReleaseDraft":
        """The release's draft for this journalist's language (see ReleaseDraft)."""
        distribution = delivery.distribution
        key = (
            distribution.pk,
            self.shown(delivery.contact.language).pk,
            journalist_language(delivery.contact, distribution.statement),
            embargo,
        )
        if key not in self._drafts:
            self._drafts[key] = ReleaseDraft(delivery, self, embargo)
        return self._drafts[key]

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
    embargo = _embargo(distribution)
    unsubscribe_raw, unsubscribe_hash = token_new()
    fields = {"unsubscribe_token_hash": unsubscribe_hash}
    preview_raw = ""
    if embargo:
        preview_raw, fields["preview_token_hash"] = token_new()
    message = _release_message(
        delivery, parts, embargo, unsubscribe_raw=unsubscribe_raw, preview_raw=preview_raw
    )
    return message, fields


def _embargo(distribution: Distribution):
    return distribution.embargoed_until if not distribution.statement.is_public() else None


def _release_message(
    delivery: Delivery, parts: PressParts, embargo, *, unsubscribe_raw: str, preview_raw: str
) -> EmailMultiAlternatives:
    distribution = delivery.distribution
    shown = parts.shown(delivery.contact.language)
    with translation.override(journalist_language(delivery.contact, distribution.statement)):
        preview_url = absolute_reverse("press_preview", preview_raw) if embargo else ""
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
    return message


# What SMTP carries: CRLF line ends (as smtplib's own data() writes them).
SMTP_POLICY = email.policy.default.clone(linesep="\r\n")
# The headers of a release that are each journalist's own.
_OWN_HEADERS = {"to", "date", "message-id", "list-unsubscribe"}
_SOFT_BREAK = b"=\r\n"


def message_bytes(message: EmailMultiAlternatives) -> bytes:
    """A Django email as SMTP sends it."""
    return message.message().as_bytes(policy=SMTP_POLICY)


class ReleaseDraft:
    """The release as every journalist of one language gets it, rendered and encoded once
    with stand-ins for their links' tokens, which each message swaps for its own.

    The stand-ins are tokens themselves (token_new's 43 characters, all of which MIME
    leaves as they are): quoted-printable wraps the draft's lines exactly where it would
    wrap the real ones, and a stand-in a soft line break splits is swapped for a token
    split at the same place. A part the draft encodes in base64 (mostly Arabic text, say)
    is encoded again for each message, from its text with the tokens swapped in. Should a
    stand-in be found fewer times than the templates wrote it, the draft is not used
    (`usable`) and each message is built in full.
    """

    def __init__(self, delivery: Delivery, parts: PressParts, embargo):
        self.unsubscribe, self.preview = token_new()[0], token_new()[0] if embargo else ""
        stand_ins = {"unsubscribe": self.unsubscribe, "preview": self.preview}
        message = _release_message(
            delivery, parts, embargo, unsubscribe_raw=self.unsubscribe, preview_raw=self.preview
        )
        self.subject, self.reply_to = message.subject, message.reply_to
        self.unsubscribe_url = message.extra_headers["List-Unsubscribe"][1:-1]
        built = message.message()
        body = built.as_bytes(policy=SMTP_POLICY).split(b"\r\n\r\n", 1)[1]
        # Read after writing it out, which gives the multipart its boundary. The headers
        # but the journalist's own are the same for all: written once.
        self.head = [
            (name, None if name.lower() in _OWN_HEADERS else SMTP_POLICY.fold_binary(name, value))
            for name, value in built.raw_items()
        ]
        # (start, end, what goes there): a token, perhaps broken; a part to encode again.
        holes = []
        for part in built.walk():
            if part["Content-Transfer-Encoding"] == "base64":
                written = part.get_payload().replace("\n", "\r\n").encode()
                at = body.find(written)
                holes.append((at, at + len(written), ("base64", part.get_payload(decode=True))))
        for which, stand_in in stand_ins.items():
            for match in re.finditer(_wrapped_pattern(stand_in), body) if stand_in else ():
                holes.append((match.start(), match.end(), (which, _breaks(match.group()))))
        holes.sort(key=lambda hole: hole[0])
        wanted = [stand_in.encode() for stand_in in stand_ins.values() if stand_in]
        found = sum(
            sum(detail.count(stand_in) for stand_in in wanted) if which == "base64" else 1
            for _, _, (which, detail) in holes
        )
        expected = sum(
            text.count(stand_in)
            for text in (message.body, message.alternatives[0].content)
            for stand_in in stand_ins.values()
            if stand_in
        )
        self.usable = found == expected and all(start >= 0 for start, _, _ in holes)
        self.pieces, self.holes, at = [], [], 0  # the body between the holes; the holes
        for start, end, hole in holes:
            self.pieces.append(body[at:start])
            self.holes.append(hole)
            at = end
        self.pieces.append(body[at:])

    def message(self, delivery: Delivery, tokens: dict[str, str]) -> bytes:
        """The bytes of this draft for one journalist, with the raw tokens of their links."""
        url = self.unsubscribe_url.replace(self.unsubscribe, tokens["unsubscribe"])
        headers = {
            "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
            **_list_headers(url),
        }
        out = [self._head(delivery, headers), b"\r\n"]
        swaps = [(self.unsubscribe, "unsubscribe"), (self.preview, "preview")]
        for piece, (which, detail) in zip(self.pieces, self.holes, strict=False):
            out.append(piece)
            if which == "base64":
                for stand_in, name in swaps:
                    if stand_in:
                        detail = detail.replace(stand_in.encode(), tokens[name].encode())
                out.append(_base64_lines(detail))
            else:
                out.append(_broken(tokens[which].encode(), detail))
        out.append(self.pieces[-1])
        return b"".join(out)

    def _head(self, delivery: Delivery, headers: dict) -> bytes:
        """The draft's headers with the journalist's own, as Django's message() sets them and
        the email package writes them."""
        if not delivery.email.isascii():
            # Django encodes the domain of such an address: let it write them all.
            head = EmailMultiAlternatives(
                subject=self.subject, to=[delivery.email], reply_to=self.reply_to, headers=headers
            ).message()
            own = {name.lower(): value for name, value in head.raw_items()}
        else:
            tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else dt.UTC
            own = {"to": delivery.email, "date": dt.datetime.now(tz)} | {
                name.lower(): value for name, value in headers.items()
            }
        return b"".join(
            folded
            or SMTP_POLICY.fold_binary(
                name, SMTP_POLICY.header_store_parse(name, own[name.lower()])[1]
            )
            for name, folded in self.head
        )


def _base64_lines(data: bytes) -> bytes:
    """As the email package encodes a part in base64: lines of 76 characters (57 bytes)."""
    step = SMTP_POLICY.max_line_length // 4 * 3
    lines = (binascii.b2a_base64(data[at : at + step]) for at in range(0, len(data), step))
    return b"".join(lines).replace(b"\n", b"\r\n")


def _wrapped_pattern(stand_in: str) -> bytes:
    """The stand-in, perhaps with soft line breaks between its characters."""
    return b"(?:=\r\n)?".join(re.escape(bytes([c])) for c in stand_in.encode())


def _breaks(found: bytes) -> list[int]:
    """Where soft line breaks split a stand-in: the offsets in it they come before."""
    breaks, offset = [], 0
    for chunk in found.split(_SOFT_BREAK)[:-1]:
        offset += len(chunk)
        breaks.append(offset)
    return breaks


def _broken(token: bytes, breaks: list[int]) -> bytes:
    if not breaks:
        return token
    bounds = [0, *breaks, len(token)]
    return _SOFT_BREAK.join(token[lo:hi] for lo, hi in itertools.pairwise(bounds))


def press_email_bytes(delivery: Delivery, parts: PressParts) -> tuple[bytes, dict]:
    """What press_email builds, as the bytes SMTP sends: a release is made from its
    language's draft (see ReleaseDraft), with the same headers and parts."""
    distribution = delivery.distribution
    if distribution.kind != Distribution.Kind.RELEASE:
        message, fields = press_notice_email(delivery, parts)
        return message_bytes(message), fields
    embargo = _embargo(distribution)
    draft = parts.draft(delivery, embargo)
    if not draft.usable:
        message, fields = press_release_email(delivery, parts)
        return message_bytes(message), fields
    tokens, fields = {}, {}
    tokens["unsubscribe"], fields["unsubscribe_token_hash"] = token_new()
    if embargo:
        tokens["preview"], fields["preview_token_hash"] = token_new()
    return draft.message(delivery, tokens), fields


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
