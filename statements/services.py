"""Workflows: a statement's life (publish, schedule, archive, retract), co-signing, and
the emails they owe people."""

import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Organization
from organizations.services import organization_match, organization_slug
from statements.models import (
    OutgoingEmail,
    Signature,
    SignatureEvent,
    SignatureToken,
    Statement,
)
from statements.tokens import token_hash

logger = logging.getLogger(__name__)


def _require_release_date(statement: Statement) -> None:
    if statement.release_date is None:
        raise ValidationError(
            "Set a release date on the statement before publishing it.",
            code="release_date_missing",
        )


def _require_unpublished(statement: Statement) -> None:
    if statement.status not in Statement.UNPUBLISHED_STATUSES:
        raise ValidationError(
            "This statement is already %(status)s.",
            code="already_public",
            params={"status": statement.get_status_display().lower()},
        )


def statement_publish(*, statement: Statement, now: datetime | None = None) -> Statement:
    _require_unpublished(statement)
    _require_release_date(statement)
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = now or timezone.now()
    statement.publish_at = None
    statement.save(update_fields=["status", "published_at", "publish_at", "updated_at"])
    return statement


def statement_schedule(
    *, statement: Statement, publish_at: datetime, now: datetime | None = None
) -> Statement:
    _require_unpublished(statement)
    _require_release_date(statement)
    if publish_at <= (now or timezone.now()):
        raise ValidationError(
            "Choose a time in the future, or publish now.", code="publish_at_in_past"
        )
    statement.status = Statement.Status.SCHEDULED
    statement.publish_at = publish_at
    statement.save(update_fields=["status", "publish_at", "updated_at"])
    return statement


def statement_unschedule(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.SCHEDULED:
        raise ValidationError("This statement is not scheduled.", code="not_scheduled")
    statement.status = Statement.Status.DRAFT
    statement.publish_at = None
    statement.save(update_fields=["status", "publish_at", "updated_at"])
    return statement


def statement_archive(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError("Only a published statement can be archived.", code="not_published")
    statement.status = Statement.Status.ARCHIVED
    statement.save(update_fields=["status", "updated_at"])
    return statement


def statement_retract(*, statement: Statement, note: str, now: datetime | None = None) -> Statement:
    if statement.status not in (Statement.Status.PUBLISHED, Statement.Status.ARCHIVED):
        raise ValidationError(
            "Only a published or archived statement can be retracted.", code="not_published"
        )
    if not note.strip():
        raise ValidationError(
            "Explain the retraction: the note is shown on the statement's page.",
            code="retraction_note_missing",
        )
    statement.status = Statement.Status.RETRACTED
    statement.retracted_at = now or timezone.now()
    statement.retraction_note = note.strip()
    statement.save(update_fields=["status", "retracted_at", "retraction_note", "updated_at"])
    return statement


def statements_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled statement whose time has come; safe to run concurrently."""
    now = now or timezone.now()
    published = 0
    with transaction.atomic():
        due = (
            Statement.objects.select_for_update(skip_locked=True)
            .filter(status=Statement.Status.SCHEDULED, publish_at__lte=now)
            .order_by("publish_at")
        )
        for statement in due:
            # The public sees the scheduled time, not the moment the sweep ran.
            statement_publish(statement=statement, now=statement.publish_at)
            published += 1
    return published


# Co-signing


@dataclass(frozen=True)
class Cosign:
    """What a partner typed into the co-sign form, cleaned."""

    organization_name: str
    website: str
    country: str
    kind: str
    signer_name: str
    signer_title: str
    signer_email: str
    signer_phone: str
    consent_contact: bool
    message: str
    logo: ContentFile | None = None


class AlreadySigned(Exception):
    """The organization is already on the statement."""

    def __init__(self, signature: Signature):
        super().__init__(f"{signature.organization} already signed {signature.statement}")
        self.signature = signature


def _event(signature: Signature, kind: str, actor=None, note: str = "") -> None:
    SignatureEvent.objects.create(signature=signature, kind=kind, actor=actor, note=note)


def email_enqueue(email: OutgoingEmail) -> None:
    """Send the email once the transaction that wrote it commits.

    If the broker cannot take the task, the email stays unsent in the database
    and the sweep enqueues it later; the request that caused it goes on.
    """
    from statements.tasks import send_email

    def enqueue() -> None:
        try:
            send_email.delay(email.pk)
        except Exception as error:
            logger.warning("Could not queue email %s (%s); the sweep will send it", email.pk, error)

    transaction.on_commit(enqueue)


def _email_create(kind: str, to: list[str], **links) -> OutgoingEmail:
    email = OutgoingEmail.objects.create(kind=kind, to="\n".join(to), **links)
    email_enqueue(email)
    return email


def signature_submit(*, statement: Statement, cosign: Cosign) -> Signature:
    """Record a signature from the co-sign form and owe its signer a confirmation email.

    Raises AlreadySigned when the organization is already on the statement,
    unless it had withdrawn: then the same row is signed afresh.
    """
    try:
        return _signature_submit(statement, cosign)
    except IntegrityError:
        # A simultaneous submission created the same organization or signature
        # first; a second try matches it and answers accordingly.
        return _signature_submit(statement, cosign)


@transaction.atomic
def _signature_submit(statement: Statement, cosign: Cosign) -> Signature:
    organization = organization_match(name=cosign.organization_name, website=cosign.website)
    created = organization is None
    if created:
        organization = Organization.objects.create(
            name=" ".join(cosign.organization_name.split()),
            slug=organization_slug(cosign.organization_name),
            website=cosign.website,
            country=cosign.country,
            kind=cosign.kind,
        )
    signature = (
        Signature.objects.select_for_update()
        .filter(statement=statement, organization=organization)
        .first()
    )
    if signature is not None and signature.state != Signature.State.WITHDRAWN:
        raise AlreadySigned(signature)
    if signature is None:
        signature = Signature(statement=statement, organization=organization)
    signature.role = Signature.Role.SIGNATORY
    signature.source = Signature.Source.FORM
    signature.state = Signature.State.SUBMITTED
    signature.organization_created = created
    signature.signer_name = cosign.signer_name
    signature.signer_title = cosign.signer_title
    signature.signer_email = cosign.signer_email
    signature.signer_phone = cosign.signer_phone
    signature.authorized = True
    signature.consent_contact = cosign.consent_contact
    signature.message = cosign.message
    signature.confirmed_at = signature.decided_at = signature.withdrawn_at = None
    signature.digest_email = None
    if cosign.logo is not None:
        signature.logo.save(cosign.logo.name, cosign.logo, save=False)
    signature.save()
    _event(signature, SignatureEvent.Kind.SUBMITTED)
    _email_create(
        OutgoingEmail.Kind.SIGNATURE_CONFIRMATION,
        [signature.signer_email],
        signature=signature,
        statement=statement,
    )
    return signature


def signature_confirmation_resend(*, statement: Statement, email: str) -> bool:
    """Owe the signer a new confirmation email if a signature from that address awaits one.

    The caller shows the same answer either way, so the form does not tell who signed.
    """
    with transaction.atomic():
        signatures = list(
            Signature.objects.select_for_update().filter(
                statement=statement,
                signer_email__iexact=email.strip(),
                state=Signature.State.SUBMITTED,
            )
        )
        for signature in signatures:
            _event(signature, SignatureEvent.Kind.RESEND_REQUESTED)
            _email_create(
                OutgoingEmail.Kind.SIGNATURE_CONFIRMATION,
                [signature.signer_email],
                signature=signature,
                statement=statement,
            )
    return bool(signatures)


@dataclass(frozen=True)
class TokenResult:
    """What an emailed link found: the signature, and why it could not act, if it could not."""

    signature: Signature | None
    problem: str | None = None  # "unknown", "expired", "used" or "too_late"
    acted: bool = False


def _token_lookup(raw: str, purpose: str) -> tuple[SignatureToken | None, str | None]:
    token = (
        SignatureToken.objects.select_related("signature__statement", "signature__organization")
        .filter(token_hash=token_hash(raw), purpose=purpose)
        .first()
    )
    if token is None:
        return None, "unknown"
    if token.used_at is not None:
        return token, "used"
    if token.is_expired():
        return token, "expired"
    return token, None


def signature_token_check(*, token: str, purpose: str) -> TokenResult:
    """What following a link would do, without doing it (for the page a GET shows)."""
    found, problem = _token_lookup(token, purpose)
    return TokenResult(found.signature if found else None, problem)


def _acting(token: str, purpose: str, allowed_states: tuple[str, ...]):
    found, problem = _token_lookup(token, purpose)
    if problem:
        return None, TokenResult(found.signature if found else None, problem)
    # Lock the signature, then read the token again: two clicks at once act once.
    signature = Signature.objects.select_for_update().get(pk=found.signature_id)
    found = SignatureToken.objects.select_for_update().get(pk=found.pk)
    if found.used_at is not None:
        return None, TokenResult(signature, "used")
    if signature.state not in allowed_states:
        return None, TokenResult(signature, "too_late")
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return signature, None


def signature_confirm(*, token: str) -> TokenResult:
    """The signer confirms by email; approved at once when the statement allows it."""
    with transaction.atomic():
        signature, refused = _acting(
            token, SignatureToken.Purpose.CONFIRM, (Signature.State.SUBMITTED,)
        )
        if refused:
            return refused
        signature.state = Signature.State.CONFIRMED
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["state", "confirmed_at"])
        _event(signature, SignatureEvent.Kind.CONFIRMED)
        if signature.statement.cosign_auto_approve and signature.email_matches_domain():
            _approve(signature, actor=None, kind=SignatureEvent.Kind.AUTO_APPROVED)
    return TokenResult(signature, acted=True)


def signature_withdraw(*, token: str) -> TokenResult:
    withdrawable = (Signature.State.SUBMITTED, Signature.State.CONFIRMED, Signature.State.APPROVED)
    with transaction.atomic():
        signature, refused = _acting(token, SignatureToken.Purpose.WITHDRAW, withdrawable)
        if refused:
            return refused
        signature.state = Signature.State.WITHDRAWN
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["state", "withdrawn_at"])
        _event(signature, SignatureEvent.Kind.WITHDRAWN)
    return TokenResult(signature, acted=True)


def _approve(signature: Signature, *, actor, kind: str) -> None:
    signature.state = Signature.State.APPROVED
    signature.decided_at = timezone.now()
    signature.save(update_fields=["state", "decided_at"])
    organization = signature.organization
    if signature.logo and not organization.logo:
        organization.logo.save(signature.logo.name.rsplit("/", 1)[-1], signature.logo.file)
    _event(signature, kind, actor=actor)
    if not signature.emails.filter(kind=OutgoingEmail.Kind.SIGNATURE_LISTED).exists():
        _email_create(
            OutgoingEmail.Kind.SIGNATURE_LISTED,
            [signature.signer_email],
            signature=signature,
            statement=signature.statement,
        )


def signature_approve(*, signature: Signature, by) -> None:
    """Staff approve a confirmed signature: it is listed and its signer told."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .select_related("organization", "statement")
            .get(pk=signature.pk)
        )
        if signature.state != Signature.State.CONFIRMED:
            raise ValidationError(
                "Only a confirmed signature can be approved; this one is %(state)s.",
                code="not_confirmed",
                params={"state": signature.get_state_display().lower()},
            )
        _approve(signature, actor=by, kind=SignatureEvent.Kind.APPROVED)


def signature_reject(*, signature: Signature, by, note: str = "") -> None:
    with transaction.atomic():
        signature = Signature.objects.select_for_update().get(pk=signature.pk)
        if signature.state not in (Signature.State.SUBMITTED, Signature.State.CONFIRMED):
            raise ValidationError(
                "Only a signature awaiting a decision can be rejected; this one is %(state)s.",
                code="not_pending",
                params={"state": signature.get_state_display().lower()},
            )
        signature.state = Signature.State.REJECTED
        signature.decided_at = timezone.now()
        signature.save(update_fields=["state", "decided_at"])
        _event(signature, SignatureEvent.Kind.REJECTED, actor=by, note=note)


def signature_add(*, signature: Signature, by) -> Signature:
    """Staff add a signature received by phone or email: approved at once."""
    with transaction.atomic():
        signature.source = Signature.Source.STAFF
        signature.state = Signature.State.APPROVED
        signature.decided_at = timezone.now()
        signature.save()
        _event(signature, SignatureEvent.Kind.ADDED, actor=by)
    return signature


def cosign_digests_create() -> list[OutgoingEmail]:
    """One email per statement telling staff of the signatures confirmed since the last one."""
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    digests = []
    with transaction.atomic():
        new = list(
            Signature.objects.select_for_update(skip_locked=True)
            .filter(digest_email__isnull=True, confirmed_at__isnull=False)
            .order_by("statement_id", "pk")
        )
        if not staff:
            return digests
        by_statement: dict[int, list[Signature]] = {}
        for signature in new:
            by_statement.setdefault(signature.statement_id, []).append(signature)
        for statement_id, signatures in by_statement.items():
            email = _email_create(
                OutgoingEmail.Kind.COSIGN_DIGEST, staff, statement_id=statement_id
            )
            Signature.objects.filter(pk__in=[s.pk for s in signatures]).update(digest_email=email)
            digests.append(email)
    return digests


# Sending what is owed

CLAIM_TIMEOUT = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=1)
# With retries 1, 2, 4 … minutes apart, capped at an hour: about eight hours in all.
MAX_ATTEMPTS = 12


def _permanent(error: Exception) -> bool:
    """Whether the SMTP server refused for good (a 5xx answer), so trying again is useless."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter, so retries after an outage do not all land at once."""
    delay = min(FIRST_RETRY * 2 ** (attempts - 1), LAST_RETRY)
    return delay * random.uniform(0.8, 1.2)


def outgoing_email_send(*, email_id: int) -> bool:
    """Send an owed email once: claim it, send it, mark it sent. True if this call sent it.

    A temporary failure releases the claim and sets when to try again, which the
    sweep honours; a refusal for good, or too many attempts, gives up on it.
    """
    from statements.emails import build_outgoing

    now = timezone.now()
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True, failed_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .first()
        )
        if email is None:
            return False  # sent or given up already, or another worker has it
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["claimed_at", "attempts"])
    unsent = OutgoingEmail.objects.filter(pk=email.pk)
    try:
        # Its links' tokens are stored before the email leaves.
        with transaction.atomic():
            message = build_outgoing(email)
        message.send()
    except Exception as error:
        if _permanent(error) or email.attempts >= MAX_ATTEMPTS:
            unsent.update(claimed_at=None, failed_at=timezone.now(), last_error=str(error)[:2000])
            logger.error(
                "Gave up on email %s after %s attempts: %s", email.pk, email.attempts, error
            )
        else:
            unsent.update(
                claimed_at=None,
                next_attempt_at=timezone.now() + _retry_delay(email.attempts),
                last_error=str(error)[:2000],
            )
            logger.warning("Email %s not sent (%s); will try again", email.pk, error)
        if not isinstance(error, smtplib.SMTPException | OSError):
            raise  # a bug, not the network: let it show
        return False
    unsent.update(sent_at=timezone.now(), last_error="")
    return True


def outgoing_emails_due() -> list[int]:
    """Emails nobody is sending: never queued, due for a retry, or claimed by a worker that died."""
    now = timezone.now()
    return list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
        .filter(
            Q(claimed_at__isnull=True, next_attempt_at__lte=now)
            | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
