"""Workflows that move a statement through its life: publish, schedule, archive, retract."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from statements.models import Statement


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
