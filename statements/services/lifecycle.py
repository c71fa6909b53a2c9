"""A statement's life: publish now or at a set time, archive, retract."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.pagecache import public_pages_changed
from statements.models import SignoffEvent, Statement, Version
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
    public_pages_changed(*statement.page_parts())
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
