"""Corrections of a published statement's text: a new version, with a public note.

The signatories approved the text they are listed under, so a correction passes the
same gate as publishing (lifecycle._signoff_gate): every signatory organization
approved the corrected text, or staff who may override sign-off give a reason, which
is recorded. Staff may instead ask the signatories to approve it, as before
publication: the correction then waits, the page keeps the published text, and the
last approval publishes it (signoff.signoff_answer queues that).

A correction corrects one statement of a release (the original, or one translation):
its text is replaced, and only that page carries the note. The version, like every
version, holds the whole release; it becomes that statement's published version.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.permissions import permission_require
from organizations.models import Contact, Organization
from statements.models import (
    Demand,
    SignoffEvent,
    SignoffRequest,
    Statement,
    StatementUpdate,
    Version,
)
from statements.services.signoff import requests_create, signoff_missing, version_freeze
from statements.services.updates import update_publish
from statements.signals import statement_corrected

# The parts of translated_text() a correction may change, as plain text...
TEXT_PARTS = ("title", "standfirst", "body", "demands_heading", "closing", "press_contacts_heading")
# ...of which these are left out of the signable text when empty (translated_text()).
OPTIONAL_PARTS = ("demands_heading", "closing", "press_contacts_heading")
# A quote's words and who said them; its organization stays.
QUOTE_PARTS = ("text", "person_name", "person_title")
CORRECTION_SIGNOFF_DAYS = 3


def _correct_require(by) -> None:
    permission_require(
        by=by,
        perm="statements.correct_statement",
        message=gettext("You may not correct published statements."),
    )


def _override_require(by) -> None:
    permission_require(
        by=by,
        perm="statements.override_signoff",
        message=gettext(
            "You may not publish a correction without every signatory organization's "
            "approval: request sign-off, or ask someone who may override it."
        ),
    )


def statement_text(statement: Statement) -> dict:
    """What a correction may change, every part present (empty ones as "")."""
    text = statement.translated_text()
    return {part: getattr(statement, part) for part in TEXT_PARTS} | {
        "demands": text["demands"],
        "quotes": text["quotes"],
    }


def _signable(text: dict) -> dict:
    """The text as translated_text() gives it, so that it hashes the same once applied."""
    return {key: value for key, value in text.items() if key not in OPTIONAL_PARTS or value}


def _corrected_text(statement: Statement, changes: dict) -> dict:
    current = statement_text(statement)
    unknown = sorted(set(changes) - set(current))
    if unknown:
        raise ValidationError(
            gettext("A correction cannot change: %(parts)s."),
            code="unknown_part",
            params={"parts": ", ".join(unknown)},
        )
    text = current | {part: str(changes[part]) for part in TEXT_PARTS if part in changes}
    if not text["title"].strip():
        raise ValidationError(gettext("The headline cannot be empty."), code="title_required")
    if "demands" in changes:
        text["demands"] = [
            {"heading": str(d.get("heading", "")), "text": str(d.get("text", ""))}
            for d in changes["demands"]
        ]
        if any(not d["text"].strip() for d in text["demands"]):
            raise ValidationError(
                gettext("Each demand needs its text: remove the demand instead."),
                code="demand_text_required",
            )
    if "quotes" in changes:
        if len(changes["quotes"]) != len(current["quotes"]):
            raise ValidationError(
                gettext("A correction changes the words of the quotes, not how many there are."),
                code="quotes_count",
            )
        text["quotes"] = [
            quote | {part: str(new.get(part, quote[part])) for part in QUOTE_PARTS}
            for quote, new in zip(current["quotes"], changes["quotes"], strict=True)
        ]
        if any(not q["text"].strip() or not q["person_name"].strip() for q in text["quotes"]):
            raise ValidationError(
                gettext("Each quote needs its words and who said them."),
                code="quote_incomplete",
            )
    if _signable(text) == _signable(current):
        raise ValidationError(
            gettext("The correction changes nothing: change the text, or leave it as it is."),
            code="nothing_changed",
        )
    return _signable(text)


def _release_content(statement: Statement, text: dict) -> dict:
    """The release's signable content with the statement's text replaced by `text`."""
    content = statement.original.signable_content()
    if statement.is_translation():
        content["translations"][statement.language] = text
        return content
    keep = {k: v for k, v in content.items() if k not in (*TEXT_PARTS, "demands", "quotes")}
    return keep | text


def _contacts_to_ask(original: Statement, organizations: list[Organization]) -> list[Contact]:
    """The contacts asked to approve the corrected text: at each organization, those asked
    before about this statement, or else every contact with an address."""
    asked = {
        request.contact_id: request.contact
        for request in SignoffRequest.objects.filter(
            statement=original,
            organization__in=organizations,
            contact__erased_at__isnull=True,
        )
        .exclude(contact__email="")
        .select_related("contact")
        .order_by("created_at", "pk")
    }
    covered = {contact.organization_id for contact in asked.values()}
    others = Contact.objects.filter(
        organization__in=[o for o in organizations if o.pk not in covered],
        erased_at__isnull=True,
    ).exclude(email="")
    contacts = [*asked.values(), *others.order_by("pk")]
    unreachable = [o for o in organizations if o.pk not in {c.organization_id for c in contacts}]
    if unreachable:
        raise ValidationError(
            gettext(
                "These signatory organizations have no contact with an email address to ask: "
                "%(names)s. Add one, or give a reason to publish the correction anyway."
            ),
            code="no_contact",
            params={"names": ", ".join(o.name for o in unreachable)},
        )
    return contacts


def correction_pending(statement: Statement) -> StatementUpdate | None:
    """The release's correction awaiting sign-off, if there is one."""
    return (
        StatementUpdate.objects.filter(
            statement__in=statement.release(),
            kind=StatementUpdate.Kind.CORRECTION,
            published_at__isnull=True,
        )
        .select_related("statement", "version", "previous_version")
        .first()
    )


def _refusal(missing: list[Organization]) -> ValidationError:
    return ValidationError(
        gettext(
            "Not every signatory organization has approved the corrected text: %(missing)s. "
            "Request sign-off, or give a reason to publish it anyway."
        ),
        code="not_signed_off",
        params={"missing": ", ".join(o.name for o in missing)},
    )


@transaction.atomic
def statement_correct(
    *,
    statement: Statement,
    by,
    changes: dict,
    note: str,
    notify_press: bool = True,
    override_reason: str = "",
    request_signoff: bool = False,
    deadline: datetime | None = None,
) -> StatementUpdate:
    """Correct the published statement's text with a public note.

    `changes` holds the parts that change: any of TEXT_PARTS as text, "demands" as the
    whole new list of {"heading", "text"}, "quotes" as one {"text", "person_name",
    "person_title"} per quote, in order. The correction is published at once when every
    signatory organization approved the corrected text or with override_reason; with
    request_signoff it waits for their approval (by `deadline`, three days by default).
    """
    _correct_require(by)
    if statement.status not in Statement.CORRECTING_STATUSES:
        raise ValidationError(
            gettext("Only a published or archived statement can be corrected."),
            code="not_published",
        )
    if not note.strip():
        raise ValidationError(
            gettext("Explain the correction: the note is shown at the top of the page."),
            code="note_required",
        )
    override_reason = override_reason.strip()
    if override_reason and request_signoff:
        raise ValidationError(
            gettext("Either request sign-off of the correction or publish it with a reason."),
            code="signoff_or_override",
        )
    original = statement.original
    # One correction at a time per release: its versions are numbered one after another.
    Statement.objects.select_for_update().filter(pk=original.pk).first()
    if correction_pending(statement) is not None:
        raise ValidationError(
            gettext(
                "A correction of this statement awaits sign-off: publish or withdraw it first."
            ),
            code="correction_pending",
        )
    text = _corrected_text(statement, changes)
    version = version_freeze(
        statement=original,
        reason=Version.Reason.CORRECTION,
        by=by,
        content=_release_content(statement, text),
    )
    missing = signoff_missing(original, version=version)
    if missing and override_reason:
        _override_require(by)
    elif missing and request_signoff:
        permission_require(
            by=by,
            perm="statements.request_signoff",
            message=gettext("You may not ask signatories to approve the text."),
        )
    elif missing:
        raise _refusal(missing)
    update = StatementUpdate.objects.create(
        statement=statement,
        kind=StatementUpdate.Kind.CORRECTION,
        text=note.strip(),
        version=version,
        previous_version=statement.published_version,
        notify_press=notify_press,
        created_by=by,
    )
    if missing and request_signoff:
        contacts = _contacts_to_ask(original, missing)
        deadline = deadline or timezone.now() + timedelta(days=CORRECTION_SIGNOFF_DAYS)
        requests_create(original, contacts, deadline, "", by, version=version)
        audit_event(
            obj=statement,
            event=Event.CORRECTION_SIGNOFF_REQUESTED,
            by=by,
            version=version.number,
            contacts=len(contacts),
            deadline=timezone.localtime(deadline).isoformat(),
        )
        return update
    return _apply(update, by=by, override=_override_note(override_reason, missing))


def _override_note(reason: str, missing: list[Organization]) -> str:
    if not missing:
        return ""
    return f"{reason}\nNot approved by: {', '.join(o.name for o in missing)}"


@transaction.atomic
def correction_publish(
    *, update: StatementUpdate, by, override_reason: str = ""
) -> StatementUpdate:
    """Publish a correction awaiting sign-off: once every signatory organization approved
    it, or now with a reason, as statement_correct would."""
    _correct_require(by)
    update = _locked_pending(update)
    missing = signoff_missing(update.statement, version=update.version)
    if missing and not override_reason.strip():
        raise _refusal(missing)
    if missing:
        _override_require(by)
    return _apply(update, by=by, override=_override_note(override_reason.strip(), missing))


def correction_publish_signed_off(*, version_id: int) -> bool:
    """Publish the correction awaiting sign-off of the version if every signatory
    organization approved it by now (the task the last approval queues). True if it did."""
    with transaction.atomic():
        update = (
            StatementUpdate.objects.select_for_update(of=("self",))
            .filter(
                version_id=version_id,
                kind=StatementUpdate.Kind.CORRECTION,
                published_at__isnull=True,
            )
            .select_related("statement", "version")
            .first()
        )
        if update is None or signoff_missing(update.statement, version=update.version):
            return False
        _apply(update, by=None, override="")
    return True


@transaction.atomic
def correction_withdraw(*, update: StatementUpdate, by) -> None:
    """Give up a correction awaiting sign-off: its links stop working, the page keeps its
    text. Its version stays, as every version does, and is never shown."""
    _correct_require(by)
    update = _locked_pending(update)
    SignoffRequest.objects.filter(version=update.version, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_event(
        obj=update.statement,
        event=Event.CORRECTION_WITHDRAWN,
        by=by,
        version=update.version.number,
        note=update.text,
    )
    update.delete()


def _locked_pending(update: StatementUpdate) -> StatementUpdate:
    locked = (
        StatementUpdate.objects.select_for_update(of=("self",))
        .filter(pk=update.pk, kind=StatementUpdate.Kind.CORRECTION, published_at__isnull=True)
        .select_related("statement", "version")
        .first()
    )
    if locked is None:
        raise ValidationError(
            gettext("This correction no longer awaits sign-off."), code="not_pending"
        )
    return locked


def _apply(update: StatementUpdate, *, by, override: str) -> StatementUpdate:
    """Put the correction's text on the statement and publish it, in the caller's
    transaction; override is the recorded reason to go without every approval."""
    statement = update.statement
    version = update.version
    _text_write(statement, version)
    if override:
        SignoffEvent.objects.create(
            statement=statement.original,
            kind=SignoffEvent.Kind.OVERRIDDEN,
            actor=by,
            version=version,
            note=override,
        )
    # A correction is dated the moment it went public, not when it was asked for.
    update.posted_at = timezone.now()
    update.save(update_fields=["posted_at"])
    update_publish(update, by=by)
    # In this transaction: the notice press writes for the journalists commits with it.
    statement_corrected.send(
        sender=Statement, statement=statement, update=update, notify_press=update.notify_press
    )
    detail = {"version": version.number, "note": update.text}
    if override:
        audit_event(obj=statement, event=Event.CORRECTED_OVERRIDE, by=by, reason=override, **detail)
    else:
        audit_event(obj=statement, event=Event.CORRECTED, by=by, **detail)
    return update


def _text_write(statement: Statement, version: Version) -> None:
    """The statement's text, demands and quotes as the version holds them for it."""
    content = version.content
    text = content["translations"][statement.language] if statement.is_translation() else content
    for part in TEXT_PARTS:
        setattr(statement, part, text.get(part, ""))
    statement.published_version = version
    statement.save(update_fields=[*TEXT_PARTS, "published_version", "updated_at"])
    demands = list(statement.demands.all())
    wanted = text.get("demands", [])
    for position, new in enumerate(wanted, start=1):
        if position <= len(demands):
            demand = demands[position - 1]
            if (demand.heading, demand.text) != (new["heading"], new["text"]):
                demand.heading, demand.text = new["heading"], new["text"]
                demand.save(update_fields=["heading", "text"])
        else:
            last = demands[-1].position if demands else 0
            Demand.objects.create(
                statement=statement,
                position=last + position - len(demands),
                heading=new["heading"],
                text=new["text"],
            )
    for demand in demands[len(wanted) :]:
        demand.delete()
    for quote, new in zip(statement.quotes.all(), text.get("quotes", []), strict=False):
        values = {part: new.get(part, "") for part in QUOTE_PARTS}
        if any(getattr(quote, part) != value for part, value in values.items()):
            for part, value in values.items():
                setattr(quote, part, value)
            quote.save(update_fields=list(QUOTE_PARTS))
