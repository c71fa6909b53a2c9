"""Sign-off: every signatory organization approves the exact text it is listed under.

The text is frozen as numbered versions; each answer is bound to one version, and
publication waits for an approval of the text as it is now from every organization.

Sign-off is the release's: versions, requests and answers belong to the original, and a
version holds the text in every language of the release, so each function here given a
translation works on its original.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.breaker import redis_call
from core.permissions import permission_require
from core.tokens import token_hash
from organizations.models import Contact, Organization
from organizations.services import contact_add
from statements.models import (
    OutgoingEmail,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    SignoffToken,
    Statement,
    StatementUpdate,
    Version,
    content_hash,
)
from statements.services.outgoing import email_create
from statements.tasks import publish_signed_off_correction

logger = logging.getLogger(__name__)


def version_freeze(
    *, statement: Statement, reason: str, by=None, content: dict | None = None
) -> Version:
    """The version holding the text as it is now (or `content`, the signable content a
    correction would give it): the latest if unchanged, else a new one."""
    statement = statement.original
    content = statement.signable_content() if content is None else content
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
    """The organizations whose approval the text needs: every one listed on it.
    Individuals sign the text as it is; they are not asked to approve it."""
    return [
        s.organization
        for s in statement.original.signatures.listed()
        .organizations()
        .in_order(Statement.SignatoryOrder.MANUAL)
        .select_related("organization")
    ]


def _digest(statement: Statement, version: Version | None) -> str:
    """The hash of the text approvals are counted for: the version's (a correction
    awaiting sign-off), or the text as it is now."""
    return version.content_hash if version else content_hash(statement.signable_content())


def signoff_missing(statement: Statement, *, version: Version | None = None) -> list[Organization]:
    """Signatory organizations that have not approved the text as it is now, or, for a
    correction awaiting sign-off, its version's text."""
    statement = statement.original
    digest = _digest(statement, version)
    approved = {
        answer.organization_id
        for answer in SignoffAnswer.objects.filter(
            version__statement=statement, version__content_hash=digest
        )
        if answer.is_approval()
    }
    return [o for o in signatory_organizations(statement) if o.pk not in approved]


@dataclass(frozen=True)
class NewContact:
    """A contact staff add while asking for sign-off, at one of the signatory organizations."""

    organization: Organization
    name: str
    email: str
    title: str = ""


def signoff_requests_send(
    *,
    statement: Statement,
    contacts: list[Contact],
    deadline: datetime,
    note: str = "",
    new_contact: NewContact | None = None,
    by,
) -> list[SignoffRequest]:
    """Ask each contact to approve the current text, by the deadline; older links to them stop.

    A new contact is added (or found, by its address) in the same transaction, so a
    request refused for another reason leaves no contact behind.
    """
    permission_require(
        by=by,
        perm="statements.request_signoff",
        message=gettext("You may not ask signatories to approve the text."),
    )
    statement = statement.original
    with transaction.atomic():
        if new_contact is not None:
            contacts = [
                *contacts,
                contact_add(
                    organization=new_contact.organization,
                    email=new_contact.email,
                    name=new_contact.name,
                    title=new_contact.title,
                ),
            ]
        requests = requests_create(statement, contacts, deadline, note, by)
        audit_event(
            obj=statement,
            event=Event.SIGNOFF_REQUESTED,
            by=by,
            version=requests[0].version.number if requests else None,
            contacts=len(requests),
            deadline=timezone.localtime(deadline).isoformat(),
        )
    return requests


def requests_create(
    statement, contacts, deadline, note, by, version: Version | None = None
) -> list[SignoffRequest]:
    """The requests and their emails, in the caller's transaction, for the text as it is
    now or for a correction's `version`; the caller checked the permission."""
    if deadline <= timezone.now():
        raise ValidationError(
            gettext("The deadline must be in the future."), code="deadline_in_past"
        )
    signatories = {o.pk for o in signatory_organizations(statement)}
    strangers = [c for c in contacts if c.organization_id not in signatories]
    if strangers:
        raise ValidationError(
            gettext("Only contacts of signatory organizations can be asked: %(names)s."),
            code="not_a_signatory",
            params={"names": ", ".join(str(c) for c in strangers)},
        )
    if missing_email := [c for c in contacts if not c.email]:
        raise ValidationError(
            gettext("These contacts have no email address: %(names)s."),
            code="no_email",
            params={"names": ", ".join(str(c) for c in missing_email)},
        )
    now = timezone.now()
    requests = []
    if version is None:
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
        email_create(
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


def signoff_check(*, token: str) -> SignoffLink:
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
    # A published statement's text is approved again only as a correction awaiting it.
    if request.statement.status not in Statement.UNPUBLISHED_STATUSES and not (
        awaits_correction(request.version)
    ):
        return SignoffLink(request, problem="published")
    if request.revoked_at is not None:
        return SignoffLink(request, problem="revoked")
    if timezone.now() >= request.expires_at:
        return SignoffLink(request, problem="expired")
    return SignoffLink(request)


def signoff_view(*, token: str) -> SignoffLink:
    """What the link shows. Its first opening goes in the timeline: perhaps a mail scanner."""
    link = signoff_check(token=token)
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
    link = signoff_check(token=token)
    if link.problem:
        return link
    request = link.request
    if decision != SignoffAnswer.Decision.APPROVED and not comment.strip():
        raise ValidationError(gettext("Tell the coalition why."), code="comment_required")
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
        return signoff_check(token=token)
    if answer.is_approval() and awaits_correction(request.version):
        # The last approval publishes the correction: a task, as corrections build on
        # this module; staff can publish it from its page too, should the queue fail.
        correction_signed_off_enqueue(request.version)
    return SignoffLink(request, answer, answered_now=True)


def awaits_correction(version: Version) -> bool:
    """Whether the version is a correction of a published text still awaiting sign-off."""
    return StatementUpdate.objects.filter(
        version=version, kind=StatementUpdate.Kind.CORRECTION, published_at__isnull=True
    ).exists()


def correction_signed_off_enqueue(version: Version) -> None:
    """Publish the correction awaiting sign-off of `version` once this transaction commits,
    if by then every signatory organization approved it."""

    def enqueue() -> None:
        try:
            redis_call(publish_signed_off_correction.delay, version.pk)
        except Exception as error:
            logger.warning("Could not queue the correction of version %s (%s)", version.pk, error)

    transaction.on_commit(enqueue)


def signoff_reminders_create(*, now: datetime | None = None) -> list[OutgoingEmail]:
    """Remind, once a day at most, each contact who has not answered a request still open."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    corrections = StatementUpdate.objects.filter(
        kind=StatementUpdate.Kind.CORRECTION, published_at__isnull=True
    ).values("version")
    open_requests = (
        SignoffRequest.objects.filter(
            revoked_at__isnull=True,
            deadline__gt=now,
            created_at__date__lt=today,
            answer__isnull=True,
        )
        .filter(
            Q(statement__status__in=Statement.UNPUBLISHED_STATUSES) | Q(version__in=corrections)
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
        # A correction's text is its version's until it is published.
        is_current = statement.is_public() or request.version.content_hash == current[statement.pk]
        if not is_current:
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
                email_create(
                    OutgoingEmail.Kind.SIGNOFF_REMINDER,
                    [request.contact.email],
                    statement=request.statement,
                    signoff_request=request,
                )
            )
    return emails


def signoff_release_emails_create(*, statement: Statement) -> None:
    """Tell every contact asked to sign off, at each organization listed on the text that
    went out, the public link and their organization's answer, in the publishing transaction.

    Each address gets one email, about the organization it was last asked for.
    """
    statement = statement.original
    listed = [o.pk for o in signatory_organizations(statement)]
    latest: dict[str, SignoffRequest] = {}
    for request in (
        SignoffRequest.objects.filter(statement=statement, organization__in=listed)
        .exclude(contact__email="")
        .select_related("contact")
        .order_by("created_at", "pk")
    ):
        latest[request.contact.email] = request
    already = set(
        OutgoingEmail.objects.filter(
            statement=statement, kind=OutgoingEmail.Kind.SIGNOFF_RELEASE
        ).values_list("to", flat=True)
    )
    for address in sorted(set(latest) - already):
        email_create(
            OutgoingEmail.Kind.SIGNOFF_RELEASE,
            [address],
            statement=statement,
            signoff_request=latest[address],
        )


@dataclass(frozen=True)
class SignoffProgress:
    """Where one signatory organization stands on the statement's text."""

    organization: Organization
    state: str
    label: str
    answer: SignoffAnswer | None
    request: SignoffRequest | None
    # The last request to each contact asked, in the order they were first asked.
    asked: list[SignoffRequest]


def signoff_progress(
    statement: Statement, *, version: Version | None = None
) -> list[SignoffProgress]:
    """Each signatory organization's state: not asked, waiting, approved this version, etc.,
    on the text as it is now or, for a correction awaiting sign-off, its version's."""
    statement = statement.original
    digest = _digest(statement, version)
    answers: dict[int, SignoffAnswer] = {}
    for answer in (
        SignoffAnswer.objects.filter(version__statement=statement)
        .select_related("version", "contact")
        .order_by("version__number")
    ):
        answers[answer.organization_id] = answer  # the latest version answered wins
    requests: dict[int, SignoffRequest] = {}
    asked: dict[int, dict[int, SignoffRequest]] = {}
    for request in (
        SignoffRequest.objects.filter(statement=statement)
        .select_related("version", "contact")
        .order_by("created_at", "pk")
    ):
        requests[request.organization_id] = request
        asked.setdefault(request.organization_id, {})[request.contact_id] = request
    now = timezone.now()
    progress = []
    for organization in signatory_organizations(statement):
        answer = answers.get(organization.pk)
        request = requests.get(organization.pk)
        asked_later = request and (not answer or request.version.number > answer.version.number)
        if asked_later and request.revoked_at is None and now < request.expires_at:
            state = "waiting"
            label = gettext("Waiting (version %(number)s)") % {"number": request.version.number}
        elif answer is None:
            state, label = (
                ("expired", gettext("Not answered in time"))
                if request
                else ("not_asked", gettext("Not asked"))
            )
        elif answer.decision == SignoffAnswer.Decision.DECLINED:
            state = "declined"
            label = gettext("Declined version %(number)s") % {"number": answer.version.number}
        elif answer.version.content_hash != digest:
            state = "approved_earlier"
            label = gettext("Approved version %(number)s — text changed since") % {
                "number": answer.version.number
            }
        elif answer.decision == SignoffAnswer.Decision.CHANGE_REQUESTED:
            state = "change_requested"
            label = gettext("Change requested on version %(number)s") % {
                "number": answer.version.number
            }
        else:
            state = "approved"
            label = gettext("Approved this version (%(number)s)") % {
                "number": answer.version.number
            }
        contacts = list(asked.get(organization.pk, {}).values())
        progress.append(SignoffProgress(organization, state, label, answer, request, contacts))
    return progress
