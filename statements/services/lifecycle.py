"""A statement's life: publish now or at a set time, archive, retract.

A release goes out together: publishing or scheduling the original takes the
translations staff chose (all not yet public, unless told otherwise) with it, at the
same moment, and archiving or retracting it takes its public translations along. A
translation left out can follow on its own once the original is public. Every member
passes the same sign-off gate: the original's version holds every language.
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.datetimes import spelled_datetime
from core.pagecache import public_pages_changed
from core.permissions import permission_require
from statements.models import OutgoingEmail, SignoffEvent, Statement, Version
from statements.services.outgoing import email_create
from statements.services.signoff import (
    content_hash,
    signoff_missing,
    signoff_release_emails_create,
    version_freeze,
)
from statements.signals import statement_published, statement_retracted

logger = logging.getLogger(__name__)


def _date_if_undated(statement: Statement, day: datetime) -> None:
    """A statement that prints no date of its own (many releases do not) is dated the
    day it goes out, in the site's time zone."""
    if statement.release_date is None:
        statement.release_date = timezone.localdate(day)


def _publisher_require(by) -> None:
    permission_require(
        by=by,
        perm="statements.publish_statement",
        message=gettext("You may not publish, schedule, archive or retract statements."),
    )


def _override_require(by) -> None:
    """Going ahead without every signatory's approval is a power of its own."""
    permission_require(
        by=by,
        perm="statements.override_signoff",
        message=gettext(
            "You may not publish without every signatory organization's approval: "
            "request sign-off, or ask someone who may override it."
        ),
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
    """A moment in a note of the sign-off timeline, a record kept in English: in the
    site's time zone, named, as staff read every other time in the admin."""
    with translation.override("en"):
        return spelled_datetime(moment, "medium")


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


def _translations_chosen(statement: Statement, translations) -> list[Statement]:
    """The translations that go out with the original: those given, or every one not yet
    public; none with a translation, which goes on its own."""
    if statement.translation_of_id is not None:
        if translations:
            raise ValidationError(
                gettext("Translations go out with their original, not with another translation."),
                code="translations_of_a_translation",
            )
        return []
    waiting = {
        t.pk: t
        for t in statement.translations.filter(status__in=Statement.UNPUBLISHED_STATUSES)
        .select_for_update()
        .order_by("language", "pk")
    }
    if translations is None:
        return list(waiting.values())
    strangers = [t for t in translations if t.pk not in waiting]
    if strangers:
        raise ValidationError(
            gettext("Not a translation of this statement still to be published: %(titles)s."),
            code="not_a_waiting_translation",
            params={"titles": ", ".join(t.title for t in strangers)},
        )
    return [waiting[pk] for pk in dict.fromkeys(t.pk for t in translations)]


def _require_original_public(statement: Statement) -> None:
    """A translation goes out alone only after its original: before, with it."""
    original = statement.translation_of
    if original is not None and original.status != Statement.Status.PUBLISHED:
        raise ValidationError(
            gettext(
                "Publish the original, “%(original)s”, first: its translations go out with it, "
                "or on their own once it is public."
            ),
            code="original_not_public",
            params={"original": original.title},
        )


@transaction.atomic
def statement_publish(
    *,
    statement: Statement,
    translations: list[Statement] | None = None,
    now: datetime | None = None,
    by,
    override_reason: str = "",
) -> Statement:
    """Publish the statement, and with an original the translations chosen (None: all
    those not yet public) at the same moment."""
    _publisher_require(by)
    _require_unpublished(statement)
    _require_original_public(statement)
    members = [statement, *_translations_chosen(statement, translations)]
    _, override = _signoff_gate(statement, override_reason=override_reason)
    if override:
        _override_require(by)
    return _publish(members, now=now or timezone.now(), by=by, override=override)


def _publish(members: list[Statement], *, now: datetime, by, override: str) -> Statement:
    """Publish the statements of one release together: the first is the one asked for
    (the original, or a translation going out on its own)."""
    statement = members[0]
    original = statement.original
    version = version_freeze(statement=original, reason=Version.Reason.PUBLICATION, by=by)
    if override:
        SignoffEvent.objects.create(
            statement=original,
            kind=SignoffEvent.Kind.OVERRIDDEN,
            # At its scheduled time, it goes out on the word of who scheduled it.
            actor=by or statement.scheduled_by,
            version=version,
            note=override,
        )
    for member in members:
        member.status = Statement.Status.PUBLISHED
        member.published_at = now
        member.published_version = version
        _date_if_undated(member, now)
        _end_schedule(member)
        member.save(
            update_fields=[
                "status", "published_at", "published_version", "release_date", *SCHEDULE_FIELDS
            ]
        )  # fmt: skip
    public_pages_changed(*statement.page_parts())
    if statement.translation_of_id is None:
        signoff_release_emails_create(statement=statement)
        # In this transaction: what others start at publication (press sends) is
        # written with it, or not at all. Sent once per release, for its original.
        statement_published.send(sender=Statement, statement=statement)
    if override:
        audit_event(
            obj=statement, event=Event.PUBLISHED_OVERRIDE, by=by, version=version.number,
            reason=override,
        )  # fmt: skip
    else:
        audit_event(obj=statement, event=Event.PUBLISHED, by=by, version=version.number)
    return statement


@transaction.atomic
def statement_schedule(
    *,
    statement: Statement,
    publish_at: datetime,
    translations: list[Statement] | None = None,
    now: datetime | None = None,
    by,
    override_reason: str = "",
) -> Statement:
    """Schedule the statement, and with an original the translations chosen (None: all
    those not yet public): the sweep publishes them together."""
    _publisher_require(by)
    _require_unpublished(statement)
    _require_original_public(statement)
    members = [statement, *_translations_chosen(statement, translations)]
    if publish_at <= (now or timezone.now()):
        raise ValidationError(
            gettext("Choose a time in the future, or publish now."), code="publish_at_in_past"
        )
    reason, override = _signoff_gate(statement, override_reason=override_reason)
    if override:
        _override_require(by)
    # Scheduled again without some translations scheduled before: those wait as drafts.
    for left_out in statement.translations.filter(status=Statement.Status.SCHEDULED).exclude(
        pk__in=[member.pk for member in members]
    ):
        left_out.status = Statement.Status.DRAFT
        _end_schedule(left_out)
        left_out.save(update_fields=["status", *SCHEDULE_FIELDS])
    # What goes out at that time must be the text cleared now.
    cleared = version_freeze(statement=statement, reason=Version.Reason.SCHEDULING, by=by)
    for member in members:
        member.status = Statement.Status.SCHEDULED
        member.publish_at = publish_at
        member.scheduled_version = cleared
        member.scheduled_by = by
        member.scheduled_override = reason
        _date_if_undated(member, publish_at)
        member.save(update_fields=["status", "release_date", *SCHEDULE_FIELDS])
    SignoffEvent.objects.create(
        statement=statement.original,
        kind=SignoffEvent.Kind.SCHEDULED_OVERRIDDEN if override else SignoffEvent.Kind.SCHEDULED,
        actor=by,
        version=cleared,
        note="\n".join(filter(None, [_scheduled_note(members, publish_at), override])),
    )
    audit_event(
        obj=statement,
        event=Event.SCHEDULED_OVERRIDE if override else Event.SCHEDULED,
        by=by,
        version=cleared.number,
        publish_at=timezone.localtime(publish_at).isoformat(),
        **({"reason": override} if override else {}),
    )
    return statement


def _scheduled_note(members: list[Statement], publish_at: datetime) -> str:
    when = f"For {_local(publish_at)}."
    if len(members) == 1 and members[0].translation_of_id is None:
        return when
    languages = ", ".join(member.get_language_display() for member in members)
    return f"{when} Languages: {languages}."


def _scheduled_with(statement: Statement) -> list[Statement]:
    """The statement and, for an original, the translations scheduled with it."""
    if statement.translation_of_id is not None:
        return [statement]
    return [
        statement,
        *statement.translations.filter(
            status=Statement.Status.SCHEDULED, publish_at=statement.publish_at
        ).order_by("language", "pk"),
    ]


def statement_unschedule(*, statement: Statement, by) -> Statement:
    """Back to draft, with the translations scheduled together with it."""
    _publisher_require(by)
    if statement.status != Statement.Status.SCHEDULED:
        raise ValidationError(gettext("This statement is not scheduled."), code="not_scheduled")
    with transaction.atomic():
        for member in _scheduled_with(statement):
            member.status = Statement.Status.DRAFT
            _end_schedule(member)
            member.save(update_fields=["status", *SCHEDULE_FIELDS])
        audit_event(obj=statement, event=Event.UNSCHEDULED, by=by)
    return statement


def _public_translations(statement: Statement, statuses) -> list[Statement]:
    if statement.translation_of_id is not None:
        return []
    return list(statement.translations.filter(status__in=statuses))


@transaction.atomic
def statement_archive(*, statement: Statement, by) -> Statement:
    """Archive the statement; an original takes its published translations along."""
    _publisher_require(by)
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(
            gettext("Only a published statement can be archived."), code="not_published"
        )
    now = timezone.now()
    for member in [statement, *_public_translations(statement, [Statement.Status.PUBLISHED])]:
        member.status = Statement.Status.ARCHIVED
        member.archived_at = now
        member.save(update_fields=["status", "archived_at", "updated_at"])
    public_pages_changed(*statement.page_parts())
    audit_event(obj=statement, event=Event.ARCHIVED, by=by)
    return statement


@transaction.atomic
def statement_retract(
    *,
    statement: Statement,
    note: str,
    by,
    corrected_by: Statement | None = None,
    notify_press: bool = True,
    now: datetime | None = None,
) -> Statement:
    """Retract a public statement with a notice, perhaps naming the statement that corrects
    it. An original's public translations are retracted with it, under the same notice.

    With notify_press, the journalists who received the release are told (press sends
    the notice, written in this transaction)."""
    _publisher_require(by)
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
    release = {member.pk for member in statement.release()}
    if corrected_by is not None and (
        corrected_by.pk in release or corrected_by.status not in Statement.CORRECTING_STATUSES
    ):
        raise ValidationError(
            gettext("The correcting statement must be another published or archived statement."),
            code="correction_not_public",
        )
    translations = _public_translations(
        statement, [Statement.Status.PUBLISHED, Statement.Status.ARCHIVED]
    )
    # One moment for the release: what was retracted together is told together.
    now = now or timezone.now()
    for member in [statement, *translations]:
        member.status = Statement.Status.RETRACTED
        member.retracted_at = now
        member.retraction_note = note.strip()
        member.corrected_by = corrected_by
        member.save(
            update_fields=[
                "status", "retracted_at", "retraction_note", "corrected_by", "updated_at"
            ]
        )  # fmt: skip
    public_pages_changed(*statement.page_parts())
    statement_retracted.send(sender=Statement, statement=statement, notify_press=notify_press)
    audit_event(obj=statement, event=Event.RETRACTED, by=by, note=note.strip())
    return statement


def statements_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled statement whose time has come, each release's together in
    one transaction; safe to run concurrently. Returns how many statements went out."""
    now = now or timezone.now()
    published = 0
    with transaction.atomic():
        due = list(
            Statement.objects.select_for_update(skip_locked=True)
            .filter(status=Statement.Status.SCHEDULED, publish_at__lte=now)
            .order_by("publish_at", "pk")
        )
        locked = {statement.pk for statement in due}
        handled: set[int] = set()
        for statement in due:
            if statement.pk in handled:
                continue
            original = statement.translation_of
            if original is not None and original.status != Statement.Status.PUBLISHED:
                continue  # it goes out with its original, now or when the original does
            members = [
                m for m in _scheduled_with(statement) if m.pk == statement.pk or m.pk in locked
            ]
            handled |= {m.pk for m in members}
            cleared = statement.scheduled_version
            if cleared and content_hash(statement.signable_content()) != cleared.content_hash:
                _hold(
                    members,
                    why=f"The text changed after version {cleared.number} was cleared for "
                    "publication.",
                )
                continue
            try:
                _, override = _signoff_gate(statement, override_reason="")
            except ValidationError as refused:
                _hold(members, why=refused.messages[0])
                continue
            # The public sees the scheduled time, not the moment the sweep ran.
            _publish(members, now=statement.publish_at, by=None, override=override)
            published += len(members)
    return published


def _hold(members: list[Statement], *, why: str) -> None:
    """Back to draft rather than publish words not cleared, and tell who scheduled it."""
    statement = members[0]
    SignoffEvent.objects.create(
        statement=statement.original,
        kind=SignoffEvent.Kind.HELD,
        version=statement.scheduled_version,
        note=f"Was due at {_local(statement.publish_at)}. {why}",
    )
    logger.error("Held the scheduled publication of %s: %s", statement.slug, why)
    if statement.scheduled_by and statement.scheduled_by.email:
        email_create(
            OutgoingEmail.Kind.PUBLICATION_HELD, [statement.scheduled_by.email], statement=statement
        )
    for member in members:
        member.status = Statement.Status.DRAFT
        _end_schedule(member)
        member.save(update_fields=["status", *SCHEDULE_FIELDS])
