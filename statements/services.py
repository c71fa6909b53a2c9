"""Workflows: a statement's life (publish, schedule, archive, retract), co-signing, and
the emails they owe people."""

import hashlib
import json
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from config.pagecache import public_pages_changed
from organizations.models import Contact, Organization
from organizations.services import organization_match, organization_slug
from statements.models import (
    OutgoingEmail,
    Signature,
    SignatureEvent,
    SignatureToken,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    SignoffToken,
    Statement,
    Version,
)
from statements.press import distributions_at_publication
from statements.smtp import is_permanent, retry_delay
from statements.tokens import token_hash

logger = logging.getLogger(__name__)


def statement_pages_changed(statement: Statement) -> None:
    """The statement's public page and its campaign's show something new once committed."""
    parts = [f"statement:{statement.slug}"]
    if statement.campaign_id:
        parts.append(f"campaign:{statement.campaign.slug}")
    public_pages_changed(*parts)


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


def _signoff_gate(statement: Statement, *, by, override_reason: str) -> None:
    """Refuse publication unless every signatory organization approved the text as it is now.

    Staff may override with a reason, which is recorded with who and when.
    """
    missing = signoff_missing(statement)
    if not missing:
        return
    if not override_reason.strip():
        raise ValidationError(
            "Not every signatory organization has approved the current text: %(missing)s. "
            "Request sign-off, or give a reason to publish anyway.",
            code="not_signed_off",
            params={"missing": ", ".join(o.name for o in missing)},
        )
    SignoffEvent.objects.create(
        statement=statement,
        kind=SignoffEvent.Kind.OVERRIDDEN,
        actor=by,
        version=version_freeze(statement=statement, reason=Version.Reason.PUBLICATION, by=by),
        note=f"{override_reason.strip()}\nNot approved by: {', '.join(o.name for o in missing)}",
    )


@transaction.atomic
def statement_publish(
    *,
    statement: Statement,
    now: datetime | None = None,
    by=None,
    override_reason: str = "",
) -> Statement:
    _require_unpublished(statement)
    _require_release_date(statement)
    _signoff_gate(statement, by=by, override_reason=override_reason)
    return _publish(statement, now=now or timezone.now(), by=by)


def _publish(statement: Statement, *, now: datetime, by) -> Statement:
    version_freeze(statement=statement, reason=Version.Reason.PUBLICATION, by=by)
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = now
    statement.publish_at = None
    statement.scheduled_version = None
    statement.save(
        update_fields=["status", "published_at", "publish_at", "scheduled_version", "updated_at"]
    )
    statement_pages_changed(statement)
    signoff_release(statement)
    distributions_at_publication(statement)
    return statement


@transaction.atomic
def statement_schedule(
    *,
    statement: Statement,
    publish_at: datetime,
    now: datetime | None = None,
    by=None,
    override_reason: str = "",
) -> Statement:
    _require_unpublished(statement)
    _require_release_date(statement)
    if publish_at <= (now or timezone.now()):
        raise ValidationError(
            "Choose a time in the future, or publish now.", code="publish_at_in_past"
        )
    _signoff_gate(statement, by=by, override_reason=override_reason)
    statement.status = Statement.Status.SCHEDULED
    statement.publish_at = publish_at
    # What goes out at that time must be the text cleared now.
    statement.scheduled_version = version_freeze(
        statement=statement, reason=Version.Reason.SIGNOFF, by=by
    )
    statement.save(update_fields=["status", "publish_at", "scheduled_version", "updated_at"])
    return statement


def statement_unschedule(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.SCHEDULED:
        raise ValidationError("This statement is not scheduled.", code="not_scheduled")
    statement.status = Statement.Status.DRAFT
    statement.publish_at = None
    statement.scheduled_version = None
    statement.save(update_fields=["status", "publish_at", "scheduled_version", "updated_at"])
    return statement


def statement_archive(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError("Only a published statement can be archived.", code="not_published")
    statement.status = Statement.Status.ARCHIVED
    statement.save(update_fields=["status", "updated_at"])
    statement_pages_changed(statement)
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
    statement_pages_changed(statement)
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
            cleared = statement.scheduled_version
            if cleared and content_hash(statement.signable_content()) != cleared.content_hash:
                _hold(statement)
                continue
            # The public sees the scheduled time, not the moment the sweep ran.
            _publish(statement, now=statement.publish_at, by=None)
            published += 1
    return published


def _hold(statement: Statement) -> None:
    """The text changed after it was cleared: back to draft rather than publish unapproved words."""
    SignoffEvent.objects.create(
        statement=statement,
        kind=SignoffEvent.Kind.HELD,
        version=statement.scheduled_version,
        note=f"Was due at {statement.publish_at:%Y-%m-%d %H:%M %Z}; "
        f"the text no longer matches version {statement.scheduled_version.number}.",
    )
    logger.error("Held the scheduled publication of %s: its text changed", statement.slug)
    statement.status = Statement.Status.DRAFT
    statement.publish_at = None
    statement.scheduled_version = None
    statement.save(update_fields=["status", "publish_at", "scheduled_version", "updated_at"])


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
        statement_pages_changed(signature.statement)
    return TokenResult(signature, acted=True)


def _approve(signature: Signature, *, actor, kind: str) -> None:
    signature.state = Signature.State.APPROVED
    signature.decided_at = timezone.now()
    signature.save(update_fields=["state", "decided_at"])
    statement_pages_changed(signature.statement)
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
        statement_pages_changed(signature.statement)
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


def press_test_copy(*, distribution, to: str) -> OutgoingEmail:
    """A copy of a press send for the staff member preparing it."""
    with transaction.atomic():
        return _email_create(
            OutgoingEmail.Kind.PRESS_TEST,
            [to],
            statement=distribution.statement,
            distribution=distribution,
        )


# Sign-off: every signatory approves the exact text


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_freeze(*, statement: Statement, reason: str, by=None) -> Version:
    """The version holding the text as it is now: the latest if unchanged, else a new one."""
    content = statement.signable_content()
    digest = content_hash(content)
    with transaction.atomic():
        # Numbers are given one at a time per statement.
        Statement.objects.select_for_update().filter(pk=statement.pk).first()
        latest = statement.versions.first()
        if latest is not None and latest.content_hash == digest:
            return latest
        return Version.objects.create(
            statement=statement,
            number=(latest.number + 1) if latest else 1,
            content=content,
            content_hash=digest,
            reason=reason,
            created_by=by,
        )


def signatory_organizations(statement: Statement) -> list[Organization]:
    """The organizations whose approval the text needs: everyone listed on it."""
    return [
        s.organization
        for s in statement.signatures.listed()
        .select_related("organization")
        .order_by("role", "position", "organization__name")
    ]


def signoff_missing(statement: Statement) -> list[Organization]:
    """Signatory organizations that have not approved the text as it is now."""
    digest = content_hash(statement.signable_content())
    approved = {
        answer.organization_id
        for answer in SignoffAnswer.objects.filter(
            version__statement=statement, version__content_hash=digest
        )
        if answer.is_approval()
    }
    return [o for o in signatory_organizations(statement) if o.pk not in approved]


def signoff_request(
    *, statement: Statement, contacts: list[Contact], deadline: datetime, note: str = "", by=None
) -> list[SignoffRequest]:
    """Ask each contact to approve the current text, by the deadline; older links to them stop."""
    if deadline <= timezone.now():
        raise ValidationError("The deadline must be in the future.", code="deadline_in_past")
    signatories = {o.pk for o in signatory_organizations(statement)}
    strangers = [c for c in contacts if c.organization_id not in signatories]
    if strangers:
        raise ValidationError(
            "Only contacts of signatory organizations can be asked: %(names)s.",
            code="not_a_signatory",
            params={"names": ", ".join(str(c) for c in strangers)},
        )
    if missing_email := [c for c in contacts if not c.email]:
        raise ValidationError(
            "These contacts have no email address: %(names)s.",
            code="no_email",
            params={"names": ", ".join(str(c) for c in missing_email)},
        )
    now = timezone.now()
    requests = []
    with transaction.atomic():
        version = version_freeze(statement=statement, reason=Version.Reason.SIGNOFF, by=by)
        if statement.status == Statement.Status.DRAFT:
            statement.status = Statement.Status.SIGNOFF
            statement.save(update_fields=["status", "updated_at"])
        for contact in contacts:
            SignoffRequest.objects.filter(
                statement=statement, contact=contact, revoked_at__isnull=True
            ).update(revoked_at=now)
            request = SignoffRequest.objects.create(
                statement=statement,
                version=version,
                organization=contact.organization,
                contact=contact,
                deadline=deadline,
                expires_at=deadline + timedelta(days=settings.SIGNOFF_GRACE_DAYS),
                note=note,
                created_by=by,
            )
            SignoffEvent.objects.create(
                statement=statement,
                kind=SignoffEvent.Kind.REQUESTED,
                actor=by,
                organization=contact.organization,
                contact=contact,
                version=version,
                note=note,
            )
            _email_create(
                OutgoingEmail.Kind.SIGNOFF_REQUEST,
                [contact.email],
                statement=statement,
                signoff_request=request,
            )
            requests.append(request)
    return requests


@dataclass(frozen=True)
class SignoffLink:
    """What a sign-off link leads to, and why it cannot be answered, if it cannot."""

    request: SignoffRequest | None
    answer: SignoffAnswer | None = None
    problem: str | None = None  # "unknown", "revoked", "expired", "published" or "answered"
    answered_now: bool = False


def signoff_check(token: str) -> SignoffLink:
    """What a sign-off link leads to, changing nothing."""
    found = (
        SignoffToken.objects.select_related(
            "request__version", "request__statement", "request__organization", "request__contact"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if found is None:
        return SignoffLink(None, problem="unknown")
    request = found.request
    answer = SignoffAnswer.objects.filter(
        version=request.version, organization=request.organization
    ).first()
    if answer is not None:
        return SignoffLink(request, answer, problem="answered")
    if request.statement.status not in Statement.UNPUBLISHED_STATUSES:
        return SignoffLink(request, problem="published")
    if request.revoked_at is not None:
        return SignoffLink(request, problem="revoked")
    if timezone.now() >= request.expires_at:
        return SignoffLink(request, problem="expired")
    return SignoffLink(request)


def signoff_view(*, token: str) -> SignoffLink:
    """What the link shows. Its first opening goes in the timeline: perhaps a mail scanner."""
    link = signoff_check(token)
    request = link.request
    if request is not None and request.viewed_at is None:
        opened = SignoffRequest.objects.filter(pk=request.pk, viewed_at__isnull=True).update(
            viewed_at=timezone.now()
        )
        if opened:
            SignoffEvent.objects.create(
                statement=request.statement,
                kind=SignoffEvent.Kind.VIEWED,
                organization=request.organization,
                contact=request.contact,
                version=request.version,
            )
    return link


def signoff_answer(*, token: str, decision: str, comment: str = "") -> SignoffLink:
    """Record an organization's answer on the version it was asked about: once, and final."""
    link = signoff_check(token)
    if link.problem:
        return link
    request = link.request
    if decision != SignoffAnswer.Decision.APPROVED and not comment.strip():
        raise ValidationError("Tell the coalition why.", code="comment_required")
    try:
        with transaction.atomic():
            answer = SignoffAnswer.objects.create(
                request=request,
                version=request.version,
                organization=request.organization,
                contact=request.contact,
                decision=decision,
                comment=comment.strip(),
            )
            SignoffEvent.objects.create(
                statement=request.statement,
                kind=decision,
                organization=request.organization,
                contact=request.contact,
                version=request.version,
                note=answer.comment,
            )
    except IntegrityError:
        # Someone answered this version for the organization a moment ago.
        return signoff_check(token)
    return SignoffLink(request, answer, answered_now=True)


def signoff_reminders_create(*, now: datetime | None = None) -> list[OutgoingEmail]:
    """Remind, once a day at most, each contact who has not answered a request still open."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_requests = (
        SignoffRequest.objects.filter(
            revoked_at__isnull=True,
            deadline__gt=now,
            created_at__date__lt=today,
            answer__isnull=True,
            statement__status__in=Statement.UNPUBLISHED_STATUSES,
        )
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .exclude(
            version__answers__organization=models.F("organization"),
        )
        .select_related("contact", "statement", "organization", "version")
    )
    current: dict[int, str] = {}
    emails = []
    for request in open_requests:
        statement = request.statement
        if statement.pk not in current:
            current[statement.pk] = content_hash(statement.signable_content())
        if request.version.content_hash != current[statement.pk]:
            continue  # the text changed since: staff ask again, with the changes shown
        with transaction.atomic():
            # Claims today's reminder: whoever runs second, or again, finds it taken.
            claimed = (
                SignoffRequest.objects.filter(pk=request.pk)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            SignoffEvent.objects.create(
                statement=request.statement,
                kind=SignoffEvent.Kind.REMINDED,
                organization=request.organization,
                contact=request.contact,
                version=request.version,
            )
            emails.append(
                _email_create(
                    OutgoingEmail.Kind.SIGNOFF_REMINDER,
                    [request.contact.email],
                    statement=request.statement,
                    signoff_request=request,
                )
            )
    return emails


def signoff_release(statement: Statement) -> None:
    """Email every contact asked to sign off the public link, all in the publishing transaction."""
    addresses = (
        SignoffRequest.objects.filter(statement=statement)
        .exclude(contact__email="")
        .values_list("contact__email", flat=True)
        .distinct()
    )
    already = set(
        OutgoingEmail.objects.filter(
            statement=statement, kind=OutgoingEmail.Kind.SIGNOFF_RELEASE
        ).values_list("to", flat=True)
    )
    for address in sorted(set(addresses) - already):
        _email_create(OutgoingEmail.Kind.SIGNOFF_RELEASE, [address], statement=statement)


@dataclass(frozen=True)
class SignoffProgress:
    """Where one signatory organization stands on the statement's text."""

    organization: Organization
    state: str
    label: str
    answer: SignoffAnswer | None
    request: SignoffRequest | None


def signoff_progress(statement: Statement) -> list[SignoffProgress]:
    """Each signatory organization's state: not asked, waiting, approved this version, etc."""
    digest = content_hash(statement.signable_content())
    answers: dict[int, SignoffAnswer] = {}
    for answer in (
        SignoffAnswer.objects.filter(version__statement=statement)
        .select_related("version", "contact")
        .order_by("version__number")
    ):
        answers[answer.organization_id] = answer  # the latest version answered wins
    requests: dict[int, SignoffRequest] = {}
    for request in (
        SignoffRequest.objects.filter(statement=statement)
        .select_related("version", "contact")
        .order_by("created_at", "pk")
    ):
        requests[request.organization_id] = request
    now = timezone.now()
    progress = []
    for organization in signatory_organizations(statement):
        answer = answers.get(organization.pk)
        request = requests.get(organization.pk)
        asked_later = request and (not answer or request.version.number > answer.version.number)
        if asked_later and request.revoked_at is None and now < request.expires_at:
            state, label = "waiting", f"Waiting (version {request.version.number})"
        elif answer is None:
            state, label = (
                ("expired", "Not answered in time") if request else ("not_asked", "Not asked")
            )
        elif answer.decision == SignoffAnswer.Decision.DECLINED:
            state, label = "declined", f"Declined version {answer.version.number}"
        elif answer.version.content_hash != digest:
            state = "approved_earlier"
            label = f"Approved version {answer.version.number} — text changed since"
        elif answer.decision == SignoffAnswer.Decision.CHANGE_REQUESTED:
            state, label = (
                "change_requested",
                f"Change requested on version {answer.version.number}",
            )
        else:
            state, label = "approved", f"Approved this version ({answer.version.number})"
        progress.append(SignoffProgress(organization, state, label, answer, request))
    return progress


# Sending what is owed

CLAIM_TIMEOUT = timedelta(minutes=10)
# With retries 1, 2, 4 … minutes apart, capped at an hour: about eight hours in all.
MAX_ATTEMPTS = 12


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
        if is_permanent(error) or email.attempts >= MAX_ATTEMPTS:
            unsent.update(claimed_at=None, failed_at=timezone.now(), last_error=str(error)[:2000])
            logger.error(
                "Gave up on email %s after %s attempts: %s", email.pk, email.attempts, error
            )
        else:
            unsent.update(
                claimed_at=None,
                next_attempt_at=timezone.now() + retry_delay(email.attempts),
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
