"""The emails of co-signing and sign-off: each one three templates and a function that builds it.

Links that act carry fresh tokens made here, at sending time, so the raw token
is never stored.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from statements.diff import diff_text, versions_compared
from statements.models import (
    Delivery,
    OutgoingEmail,
    Signature,
    SignatureToken,
    SignoffAnswer,
    SignoffRequest,
    SignoffToken,
)
from statements.tokens import token_new


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def build(name: str, context: dict, to: list[str], *, headers=None) -> EmailMultiAlternatives:
    """The email from templates/emails/<name>-subject.txt, -body.txt and -body.html."""
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    return message


def signature_link(signature: Signature, purpose: str, days: int) -> str:
    raw, hashed = token_new()
    SignatureToken.objects.create(
        signature=signature,
        purpose=purpose,
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return absolute(reverse(f"signature_{purpose}", args=[raw]))


def signature_confirmation(signature: Signature) -> EmailMultiAlternatives:
    context = {
        "signature": signature,
        "statement": signature.statement,
        "confirm_url": signature_link(
            signature, SignatureToken.Purpose.CONFIRM, settings.COSIGN_CONFIRM_DAYS
        ),
        "withdraw_url": signature_link(
            signature, SignatureToken.Purpose.WITHDRAW, settings.COSIGN_WITHDRAW_DAYS
        ),
        "confirm_days": settings.COSIGN_CONFIRM_DAYS,
    }
    return build("signature_confirmation", context, [signature.signer_email])


def signature_listed(signature: Signature) -> EmailMultiAlternatives:
    statement = signature.statement
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


def cosign_digest(email: OutgoingEmail) -> EmailMultiAlternatives:
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


def signoff_link(request: SignoffRequest) -> str:
    raw, hashed = token_new()
    SignoffToken.objects.create(request=request, token_hash=hashed)
    return absolute(reverse("signoff", args=[raw]))


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


def signoff_request(request: SignoffRequest, *, reminder: bool = False) -> EmailMultiAlternatives:
    previous = _previous_version(request)
    answered = (
        SignoffAnswer.objects.filter(version=previous, organization=request.organization).first()
        if previous
        else None
    )
    context = {
        "request": request,
        "statement": request.statement,
        "version": request.version,
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
        "url": signoff_link(request),
        "reminder": reminder,
    }
    return build("signoff_request", context, [request.contact.email])


def signoff_release(email: OutgoingEmail) -> EmailMultiAlternatives:
    statement = email.statement
    context = {"statement": statement, "statement_url": absolute(statement.get_absolute_url())}
    return build("signoff_release", context, email.recipients())


def build_outgoing(email: OutgoingEmail) -> EmailMultiAlternatives:
    match email.kind:
        case OutgoingEmail.Kind.SIGNATURE_CONFIRMATION:
            message = signature_confirmation(email.signature)
        case OutgoingEmail.Kind.SIGNATURE_LISTED:
            message = signature_listed(email.signature)
        case OutgoingEmail.Kind.COSIGN_DIGEST:
            message = cosign_digest(email)
        case OutgoingEmail.Kind.SIGNOFF_REQUEST:
            message = signoff_request(email.signoff_request)
        case OutgoingEmail.Kind.SIGNOFF_REMINDER:
            message = signoff_request(email.signoff_request, reminder=True)
        case OutgoingEmail.Kind.SIGNOFF_RELEASE:
            message = signoff_release(email)
        case OutgoingEmail.Kind.PRESS_TEST:
            message = press_test_copy(email)
    # Traceable in any mailbox, and the same on a retry of the same email.
    message.extra_headers["Message-ID"] = (
        f"<outgoing-{email.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
    )
    return message


def press_parts(statement) -> dict:
    """The statement's parts for press emails: read once per batch, not per recipient."""
    from statements.views import statement_context

    return statement_context(statement)


def press_release(delivery: Delivery, parts: dict) -> tuple[EmailMultiAlternatives, dict]:
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
        preview_url = absolute(reverse("press_preview", args=[preview_raw]))
    unsubscribe_url = absolute(reverse("press_unsubscribe", args=[unsubscribe_raw]))
    context = parts | {
        "distribution": distribution,
        "embargo": embargo,
        "preview_url": preview_url,
        "statement_url": absolute(statement.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = build("press_release", context, [delivery.email], headers=headers)
    if distribution.reply_to and distribution.reply_to.email:
        message.reply_to = [distribution.reply_to.email]
    return message, fields


def press_test_copy(email: OutgoingEmail) -> EmailMultiAlternatives:
    """What journalists will get, for staff to check; its links lead nowhere that acts."""
    distribution = email.distribution
    statement = distribution.statement
    embargo = statement.publish_at if not statement.is_public() else None
    context = press_parts(statement) | {
        "distribution": distribution,
        "embargo": embargo,
        "preview_url": absolute(reverse("admin:statements_statement_preview", args=[statement.pk])),
        "statement_url": absolute(statement.get_absolute_url()),
        "unsubscribe_url": "(each journalist gets their own unsubscribe link here)",
    }
    message = build("press_release", context, email.recipients())
    message.subject = f"[Test] {message.subject}"
    return message
