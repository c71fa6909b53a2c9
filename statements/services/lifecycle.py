"""A statement's life: publish now or at a set time, archive, retract."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.pagecache import public_pages_changed
from statements.models import OutgoingEmail, SignoffEvent, Statement, Version
from statements.services.outgoing import email_create
from statements.services.signoff import (
    content_hash,
    signoff_missing,
    signoff_release_emails_create,
    version_freeze,
)
from statements.signals import statement_published

logger = logging.getLogger(__name__)


def _require_release_date(statement: Statement) -> None:
    if statement.release_date is None:
        raise ValidationError(
            gettext("Set a release date on the statement before publishing it."),
            code="release_date_missing",
        )


def _require_unpublished(statement: Statement) -> None:
    if statement.status not in Statement.UNPUBLISHED_STATUSES:
        raise ValidationError(
            gettext("This statement is already %(status)s."),
            code="already_public",
            params={"status": statement.get_status_display().lower()},
        )


# The fields a schedule sets and its end clears, with updated_at, for save().
SCHEDULE_FIELDS = [
    "publish_at", "scheduled_version", "scheduled_by", "scheduled_override", "updated_at"
]  # fmt: skip


def _end_schedule(statement: Statement) -> None:
    statement.publish_at = None
    statement.scheduled_version = None
    statement.scheduled_by = None
    statement.scheduled_override = ""


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}"


def scheduling_override(statement: Statement) -> str:
    """The reason given when scheduling to publish without every approval, if it still
    stands: only while the statement is scheduled and its text is the one scheduled."""
    cleared = statement.scheduled_version
    if statement.status != Statement.Status.SCHEDULED or cleared is None:
        return ""
    if content_hash(statement.signable_content()) != cleared.content_hash:
        return ""
    return statement.scheduled_override


def _signoff_gate(statement: Statement, *, override_reason: str) -> tuple[str, str]:
    """The reason to go ahead without every signatory organization's approval of the text
    as it is now, and the note that records it: both "" when every one approved.

    Refused without a reason; one given when scheduling counts for the text it was given for.
    """
    missing = signoff_missing(statement)
    if not missing:
        return "", ""
    reason = override_reason.strip() or scheduling_override(statement)
    if not reason:
        raise ValidationError(
            gettext(
                "Not every signatory organization has approved the current text: %(missing)s. "
                "Request sign-off, or give a reason to publish anyway."
            ),
            code="not_signed_off",
            params={"missing": ", ".join(o.name for o in missing)},
        )
    return reason, f"{reason}\nNot approved by: {', '.join(o.name for o in missing)}"


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
    _, override = _signoff_gate(statement, override_reason=override_reason)
    return _publish(statement, now=now or timezone.now(), by=by, override=override)


def _publish(statement: Statement, *, now: datetime, by, override: str) -> Statement:
    version = version_freeze(statement=statement, reason=Version.Reason.PUBLICATION, by=by)
    if override:
        SignoffEvent.objects.create(
            statement=statement,
            kind=SignoffEvent.Kind.OVERRIDDEN,
            # At its scheduled time, it goes out on the word of who scheduled it.
            actor=by or statement.scheduled_by,
            version=version,
            note=override,
        )
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = now
    statement.published_version = version
    _end_schedule(statement)
    statement.save(update_fields=["status", "published_at", "published_version", *SCHEDULE_FIELDS])
    public_pages_changed(*statement.page_parts())
    signoff_release_emails_create(statement=statement)
    # In this transaction: what others start at publication (press sends) is
    # written with it, or not at all.
    statement_published.send(sender=Statement, statement=statement)
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
            gettext("Choose a time in the future, or publish now."), code="publish_at_in_past"
        )
    reason, override = _signoff_gate(statement, override_reason=override_reason)
    statement.status = Statement.Status.SCHEDULED
    statement.publish_at = publish_at
    # What goes out at that time must be the text cleared now.
    statement.scheduled_version = version_freeze(
        statement=statement, reason=Version.Reason.SCHEDULING, by=by
    )
    statement.scheduled_by = by
    statement.scheduled_override = reason
    statement.save(update_fields=["status", *SCHEDULE_FIELDS])
    SignoffEvent.objects.create(
        statement=statement,
        kind=SignoffEvent.Kind.SCHEDULED_OVERRIDDEN if override else SignoffEvent.Kind.SCHEDULED,
        actor=by,
        version=statement.scheduled_version,
        note="\n".join(filter(None, [f"For {_local(publish_at)}.", override])),
    )
    return statement


def statement_unschedule(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.SCHEDULED:
        raise ValidationError(gettext("This statement is not scheduled."), code="not_scheduled")
    statement.status = Statement.Status.DRAFT
    _end_schedule(statement)
    statement.save(update_fields=["status", *SCHEDULE_FIELDS])
    return statement


def statement_archive(*, statement: Statement) -> Statement:
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(
            gettext("Only a published statement can be archived."), code="not_published"
        )
    statement.status = Statement.Status.ARCHIVED
    statement.save(update_fields=["status", "updated_at"])
    public_pages_changed(*statement.page_parts())
    return statement


def statement_retract(
    *,
    statement: Statement,
    note: str,
    corrected_by: Statement | None = None,
    now: datetime | None = None,
) -> Statement:
    """Retract a public statement with a notice, perhaps naming the statement that corrects it."""
    if statement.status not in (Statement.Status.PUBLISHED, Statement.Status.ARCHIVED):
        raise ValidationError(
            gettext("Only a published or archived statement can be retracted."),
            code="not_published",
        )
    if not note.strip():
        raise ValidationError(
            gettext("Explain the retraction: the note is shown on the statement's page."),
            code="retraction_note_missing",
        )
    if corrected_by is not None and (
        corrected_by.pk == statement.pk or corrected_by.status not in Statement.CORRECTING_STATUSES
    ):
        raise ValidationError(
            gettext("The correcting statement must be another published or archived statement."),
            code="correction_not_public",
        )
    statement.status = Statement.Status.RETRACTED
    statement.retracted_at = now or timezone.now()
    statement.retraction_note = note.strip()
    statement.corrected_by = corrected_by
    statement.save(
        update_fields=["status", "retracted_at", "retraction_note", "corrected_by", "updated_at"]
    )
    public_pages_changed(*statement.page_parts())
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
                _hold(
                    statement,
                    why=f"The text changed after version {cleared.number} was cleared for "
                    "publication.",
                )
                continue
            try:
                _, override = _signoff_gate(statement, override_reason="")
            except ValidationError as refused:
                _hold(statement, why=refused.messages[0])
                continue
            # The public sees the scheduled time, not the moment the sweep ran.
            _publish(statement, now=statement.publish_at, by=None, override=override)
            published += 1
    return published


def _hold(statement: Statement, *, why: str) -> None:
    """Back to draft rather than publish words not cleared, and tell who scheduled it."""
    SignoffEvent.objects.create(
        statement=statement,
        kind=SignoffEvent.Kind.HELD,
        version=statement.scheduled_version,
        note=f"Was due at {_local(statement.publish_at)}. {why}",
    )
    logger.error("Held the scheduled publication of %s: %s", statement.slug, why)
    if statement.scheduled_by and statement.scheduled_by.email:
        email_create(
            OutgoingEmail.Kind.PUBLICATION_HELD, [statement.scheduled_by.email], statement=statement
        )
    statement.status = Statement.Status.DRAFT
    _end_schedule(statement)
    statement.save(update_fields=["status", *SCHEDULE_FIELDS])
