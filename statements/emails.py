"""The emails of co-signing and sign-off: each one three templates and a function that builds it.

Links that act carry fresh tokens made here, at sending time, so the raw token
is never stored. Each email is built in its recipient's language (inside
translation.override), so its words, dates and links (/ar/…) are theirs: a signer's
is the language of the page they signed on, a contact's is Contact.language, and
staff read English, the language the admin is written in.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from core.datetimes import spelled_datetime
from core.emails import PlainHeader, build
from core.languages import LANGUAGES, direction, interface_language
from core.links import absolute, absolute_reverse
from core.tokens import token_new
from organizations.models import Contact
from statements.counts import signed_by_text
from statements.diff import diff_text, versions_compared
from statements.markdown import render_markdown
from statements.models import (
    Follower,
    FollowerToken,
    OutgoingEmail,
    Signature,
    SignatureToken,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    SignoffToken,
    Statement,
    StatementUpdate,
    Version,
)
from statements.pdf import statement_pdf
from statements.selectors import (
    signatory_counts,
    statement_context,
    version_languages,
    version_text,
)

LANGUAGE_NAMES = dict(LANGUAGES)
# Staff emails are in the admin's language; there is no per-user language to read.
STAFF_LANGUAGE = settings.LANGUAGE_CODE


def signer_language(signature: Signature) -> str:
    """Who signed on a page reads their emails in its language (unknown: the statement's)."""
    return signature.language or signature.statement.language


def contact_language(contact, statement: Statement) -> str:
    """A contact reads their emails in their language (unknown: the statement's)."""
    return contact.language or statement.language


def in_language(statement: Statement, language: str) -> Statement:
    """The statement of the release the reader should see: in their language, if it
    is public when the statement is, else the statement itself."""
    found = statement.in_language(language)
    if found is None or found.is_public() != statement.is_public():
        return statement
    return found


def signature_link(signature: Signature, purpose: str, days: int) -> str:
    raw, hashed = token_new()
    if purpose == SignatureToken.Purpose.CONFIRM:
        # One confirmation link works at a time: the one in the newest email. An email
        # sent again after a failure gets a new link, which works.
        signature.tokens.filter(
            purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    SignatureToken.objects.create(
        signature=signature,
        purpose=purpose,
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return absolute_reverse(f"signature_{purpose}", raw)


def signature_confirmation_email(signature: Signature) -> EmailMultiAlternatives:
    language = signer_language(signature)
    with translation.override(interface_language(language)):
        return _signature_confirmation_email(signature, language)


def _signature_confirmation_email(signature: Signature, language: str) -> EmailMultiAlternatives:
    context = {
        "signature": signature,
        "statement": in_language(signature.statement, language),
        "confirm_url": signature_link(
            signature, SignatureToken.Purpose.CONFIRM, settings.COSIGN_CONFIRM_DAYS
        ),
        "withdraw_url": signature_link(
            signature, SignatureToken.Purpose.WITHDRAW, settings.COSIGN_WITHDRAW_DAYS
        ),
        "confirm_days": settings.COSIGN_CONFIRM_DAYS,
    }
    return build("signature_confirmation", context, [signature.signer_email])


def signature_listed_email(signature: Signature) -> EmailMultiAlternatives:
    language = signer_language(signature)
    with translation.override(interface_language(language)):
        return _signature_listed_email(signature, language)


def _signature_listed_email(signature: Signature, language: str) -> EmailMultiAlternatives:
    statement = in_language(signature.statement, language)
    context = {
        "signature": signature,
        "statement": statement,
        "public": statement.is_public(),
        "statement_url": absolute(statement.get_absolute_url()),
        "withdraw_url": signature_link(
            signature, SignatureToken.Purpose.WITHDRAW, settings.COSIGN_WITHDRAW_DAYS
        ),
    }
    return build("signature_listed", context, [signature.signer_email])


def cosign_digest_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    with translation.override(STAFF_LANGUAGE):
        return _cosign_digest_email(email)


def _cosign_digest_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    statement = email.statement
    signatures = list(
        statement.signatures.filter(digest_email=email)
        .select_related("organization")
        .order_by("confirmed_at", "pk")
    )
    context = {
        "statement": statement,
        "signatures": signatures,
        "queue_url": absolute(
            reverse("admin:statements_pendingsignature_changelist")
            + f"?statement__id__exact={statement.pk}"
        ),
    }
    return build("cosign_digest", context, email.recipients())


def signoff_token(request: SignoffRequest) -> str:
    """A new link token for the request, stored hashed; the raw one goes in the email."""
    raw, hashed = token_new()
    SignoffToken.objects.create(request=request, token_hash=hashed)
    return raw


def _signoff_texts(request: SignoffRequest, language: str, raw: str) -> dict:
    """The text to show the contact (in their language if the version has it, else the
    original's) and links to the page showing each other language."""
    content = request.version.content
    # A version frozen before translations existed names no language: the statement's.
    own = request.version.statement.language
    shown, text = version_text(content, language)
    shown = shown or own
    others = []
    for code in version_languages(content, default=own):
        if code == shown:
            continue
        with translation.override(interface_language(code)):
            url = absolute_reverse("signoff", raw)
        others.append(
            {"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": f"{url}?language={code}"}
        )
    return {
        "text": text,
        "text_language": shown,
        "text_dir": direction(shown),
        # Sanitized by render_markdown, as on the sign-off page.
        "body_html": mark_safe(render_markdown(text.get("body", ""))),
        "closing_html": mark_safe(render_markdown(text.get("closing", ""))),
        "other_languages": others,
    }


def _previous_version(request: SignoffRequest):
    """The version the organization last answered or was asked about, before this one."""
    earlier = (
        SignoffRequest.objects.filter(
            statement=request.statement,
            organization=request.organization,
            version__number__lt=request.version.number,
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return earlier.version if earlier else None


def signoff_request_email(
    request: SignoffRequest, *, reminder: bool = False
) -> EmailMultiAlternatives:
    language = contact_language(request.contact, request.statement)
    with translation.override(interface_language(language)):
        return _signoff_request_email(request, language, reminder)


def _signoff_request_email(
    request: SignoffRequest, language: str, reminder: bool
) -> EmailMultiAlternatives:
    correction = (
        StatementUpdate.objects.filter(
            version=request.version, kind=StatementUpdate.Kind.CORRECTION
        )
        .select_related("previous_version")
        .first()
    )
    # A correction is shown against the published text it corrects.
    previous = correction.previous_version if correction else _previous_version(request)
    answered = (
        SignoffAnswer.objects.filter(version=previous, organization=request.organization).first()
        if previous
        else None
    )
    raw = signoff_token(request)
    context = {
        "request": request,
        "statement": request.statement,
        "version": request.version,
        "correction": correction,
        "previous": previous,
        "previous_answer": answered,
        "changes_text": diff_text(previous.content, request.version.content) if previous else "",
        "changes": [
            row
            for row in versions_compared(previous.content, request.version.content)
            if row["changed"]
        ]
        if previous
        else [],
        "url": absolute_reverse("signoff", raw),
        "deadline": spelled_datetime(request.deadline),
        "deadline_short": spelled_datetime(request.deadline, "short"),
        "reminder": reminder,
    } | _signoff_texts(request, language, raw)
    return build("signoff_request", context, [request.contact.email])


def _release_answer(
    request: SignoffRequest, published: Version
) -> tuple[str, SignoffAnswer | None]:
    """What the organization answered, said of the text that went out: "approved",
    "change_requested" or "declined" on that text (an approval first, as the sign-off
    gate counts one); else "approved_earlier" or "declined_earlier" on an earlier version;
    else "not_answered"."""
    answers = list(
        SignoffAnswer.objects.filter(
            version__statement=request.statement, organization=request.organization
        )
        .select_related("version")
        .order_by("-version__number")
    )
    on_text = [a for a in answers if a.version.content_hash == published.content_hash]
    if on_text:
        answer = next((a for a in on_text if a.is_approval()), on_text[0])
        return answer.decision, answer
    if answers:
        earlier = answers[0]
        return ("approved_earlier" if earlier.is_approval() else "declined_earlier"), earlier
    return "not_answered", None


def signoff_release_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    language = contact_language(email.signoff_request.contact, email.statement)
    with translation.override(interface_language(language)):
        return _signoff_release_email(email, language)


def _signoff_release_email(email: OutgoingEmail, language: str) -> EmailMultiAlternatives:
    statement = email.statement
    request = email.signoff_request
    state, answer = _release_answer(request, statement.published_version)
    shown = in_language(statement, language)
    context = {
        "statement": shown,
        "statement_url": absolute(shown.get_absolute_url()),
        "organization": request.organization,
        "version": statement.published_version,
        "state": state,
        "answer": answer,
    }
    return build("signoff_release", context, email.recipients())


def publication_held_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    with translation.override(STAFF_LANGUAGE):
        return _publication_held_email(email)


def _publication_held_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    statement = email.statement
    # The hold that owed this email: written just before it, in the same transaction.
    held = (
        statement.signoff_events.filter(kind=SignoffEvent.Kind.HELD, at__lte=email.created_at)
        .order_by("at", "pk")
        .last()
    )
    context = {
        "statement": statement,
        "held": held,
        "signoff_url": absolute_reverse("admin:statements_statement_signoff", statement.pk),
    }
    return build("publication_held", context, email.recipients())


# Following a statement, and its updates.

# A confirmation link is for now; an unsubscribe link must work from an old email too.
FOLLOW_CONFIRM_DAYS = 7
FOLLOW_UNSUBSCRIBE_DAYS = 365


def follower_language(follower: Follower) -> str:
    """A follower reads their emails in the language of the page they followed on."""
    return follower.language or follower.statement.language


def follower_link(follower: Follower, purpose: str, days: int) -> str:
    raw, hashed = token_new()
    if purpose == FollowerToken.Purpose.CONFIRM:
        # One confirmation link works at a time: the one in the newest email.
        follower.tokens.filter(
            purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(expires_at=timezone.now())
    FollowerToken.objects.create(
        follower=follower,
        purpose=purpose,
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return absolute_reverse(f"follow_{purpose}", raw)


def follow_confirmation_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    follower = email.follower
    language = follower_language(follower)
    with translation.override(interface_language(language)):
        statement = in_language(follower.statement, language)
        context = {
            "statement": statement,
            "statement_url": absolute(statement.get_absolute_url()),
            "confirm_url": follower_link(
                follower, FollowerToken.Purpose.CONFIRM, FOLLOW_CONFIRM_DAYS
            ),
            "confirm_days": FOLLOW_CONFIRM_DAYS,
        }
        return build("follow_confirmation", context, [follower.email])


def _update_contact(email: OutgoingEmail) -> Contact | None:
    """The signatory organization's contact the update is sent to, if it goes to one."""
    listed = email.update.statement.original.signatures.listed().organizations()
    return (
        Contact.objects.filter(
            organization__in=listed.values("organization"),
            email__iexact=email.to,
            erased_at__isnull=True,
        )
        .select_related("organization")
        .order_by("pk")
        .first()
    )


def statement_update_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    """An update for one address: a signatory organization's contact, a signer who agreed
    to be contacted, a follower, or several at once, in their language."""
    contact = _update_contact(email)
    signature, follower = email.signature, email.follower
    update = email.update
    language = (
        (contact and contact.language)
        or (signature and signature.language)
        or (follower and follower.language)
        or update.statement.language
    )
    with translation.override(interface_language(language)):
        return _statement_update_email(email, update, language, contact, signature, follower)


def _statement_update_email(email, update, language, contact, signature, follower):
    headers = {}
    unsubscribe_url = ""
    if follower is not None:
        unsubscribe_url = follower_link(
            follower, FollowerToken.Purpose.UNSUBSCRIBE, FOLLOW_UNSUBSCRIBE_DAYS
        )
        # One click from the mail client (RFC 8058), written as the RFCs want it.
        headers = {
            "List-Unsubscribe": PlainHeader("List-Unsubscribe", f"<{iri_to_uri(unsubscribe_url)}>"),
            "List-Unsubscribe-Post": PlainHeader(
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"
            ),
        }
    context = {
        "update": update,
        "statement": in_language(update.statement, language),
        "update_url": absolute(update.get_absolute_url()),
        "text_dir": direction(update.statement.language),
        "contact": contact,
        "signature": None if contact else signature,
        "unsubscribe_url": unsubscribe_url,
    }
    return build("statement_update", context, [email.to], headers=headers)


def target_delivery_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    delivery = email.target_delivery
    with translation.override(interface_language(delivery.language or email.statement.language)):
        return _target_delivery_email(email)


def _target_delivery_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The statement for a decision maker: its text, who signed it, its PDF attached."""
    statement = email.statement
    context = statement_context(statement) | {
        "delivery": email.target_delivery,
        "signed_by": signed_by_text(signatory_counts(statement)),
        "statement_url": absolute(statement.get_absolute_url()),
    }
    message = build("target_delivery", context, email.recipients())
    message.attach(f"{statement.slug}.pdf", statement_pdf(statement), "application/pdf")
    return message


# The builders of the kinds other apps owe (press's test copy), which they register
# from their AppConfig.ready(): statements sends them without knowing those apps.
_builders: dict[str, Callable[[OutgoingEmail], EmailMultiAlternatives]] = {}


class UnknownKind(LookupError):
    """An owed email of a kind no builder is registered for: sending it again cannot help."""


def outgoing_builder_register(
    kind: str, builder: Callable[[OutgoingEmail], EmailMultiAlternatives]
) -> None:
    _builders[kind] = builder


def build_outgoing(email: OutgoingEmail) -> EmailMultiAlternatives:
    match email.kind:
        case OutgoingEmail.Kind.SIGNATURE_CONFIRMATION:
            message = signature_confirmation_email(email.signature)
        case OutgoingEmail.Kind.SIGNATURE_LISTED:
            message = signature_listed_email(email.signature)
        case OutgoingEmail.Kind.COSIGN_DIGEST:
            message = cosign_digest_email(email)
        case OutgoingEmail.Kind.SIGNOFF_REQUEST:
            message = signoff_request_email(email.signoff_request)
        case OutgoingEmail.Kind.SIGNOFF_REMINDER:
            message = signoff_request_email(email.signoff_request, reminder=True)
        case OutgoingEmail.Kind.SIGNOFF_RELEASE:
            message = signoff_release_email(email)
        case OutgoingEmail.Kind.PUBLICATION_HELD:
            message = publication_held_email(email)
        case OutgoingEmail.Kind.FOLLOW_CONFIRMATION:
            message = follow_confirmation_email(email)
        case OutgoingEmail.Kind.STATEMENT_UPDATE:
            message = statement_update_email(email)
        case OutgoingEmail.Kind.TARGET_DELIVERY:
            message = target_delivery_email(email)
        case kind if kind in _builders:
            message = _builders[kind](email)
        case kind:
            raise UnknownKind(f"Email {email.pk} is of kind {kind!r}, which nothing can write")
    # Traceable in any mailbox, and the same on a retry of the same email.
    message.extra_headers["Message-ID"] = (
        f"<outgoing-{email.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
    )
    return message
