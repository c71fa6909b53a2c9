"""Workflow events in the audit log, beside the field changes django-auditlog records.

A publication, an override, a moderation decision, a confirmed or stopped send, an
export or a lifted suppression is one entry on the object it concerns, with who did it
and what it was (``additional_data["event"]``), so that staff read one history.

Within a request the actor and the address come from the request itself
(core.middleware.AuditContextMiddleware), unless the service names who acted.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """The workflow events: stable names kept in the log, their text shown to staff."""

    PUBLISHED = "published", _("Published")
    PUBLISHED_OVERRIDE = "published_override", _("Published without every approval")
    SCHEDULED = "scheduled", _("Scheduled for publication")
    SCHEDULED_OVERRIDE = "scheduled_override", _("Scheduled without every approval")
    UNSCHEDULED = "unscheduled", _("Returned to draft from its schedule")
    ARCHIVED = "archived", _("Archived")
    RETRACTED = "retracted", _("Retracted")
    SIGNATURE_APPROVED = "signature_approved", _("Signature approved")
    SIGNATURE_REJECTED = "signature_rejected", _("Signature rejected")
    SIGNATURE_ADDED = "signature_added", _("Signature added by staff")
    SIGNOFF_REQUESTED = "signoff_requested", _("Sign-off requested")
    DISTRIBUTION_CONFIRMED = "distribution_confirmed", _("Distribution confirmed")
    DISTRIBUTION_STOPPED = "distribution_stopped", _("Distribution stopped")
    TEST_COPY_SENT = "test_copy_sent", _("Test copy sent")
    SIGNATORIES_EXPORTED = "signatories_exported", _("Signatories exported")
    CONTACTS_EXPORTED = "contacts_exported", _("Contacts exported")
    SUPPRESSION_LIFTED = "suppression_lifted", _("Suppression lifted")
    SIGNER_DATA_ERASED = "signer_data_erased", _("Co-signers' personal data erased")
    DELIVERIES_REDUCED = "deliveries_reduced", _("Delivery records reduced to counts")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("A person's data exported")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("A person's data erased")
    UPDATE_POSTED = "update_posted", _("Update posted")
    CORRECTED = "corrected", _("Text corrected after publication")
    CORRECTED_OVERRIDE = "corrected_override", _("Text corrected without every approval")
    CORRECTION_SIGNOFF_REQUESTED = (
        "correction_signoff_requested",
        _("Sign-off of a correction requested"),
    )
    CORRECTION_WITHDRAWN = "correction_withdrawn", _("Correction withdrawn before publication")


# What an event's details (audit_event's keyword arguments) are called in the admin.
DETAIL_LABELS = {
    "version": _("version"),
    "reason": _("reason"),
    "note": _("note"),
    "publish_at": _("to be published at"),
    "deadline": _("deadline"),
    "contacts": _("contacts asked"),
    "recipients": _("recipients"),
    "spared": _("recipients spared"),
    "to": _("sent to"),
    "count": _("rows"),
    "signatures": _("signatures"),
    "deliveries": _("deliveries"),
    "counts": _("counts"),
    "kind": _("kind"),
}


def audit_event(*, obj, event: Event, by=None, **detail) -> LogEntry:
    """One entry for the event on obj, a model instance, or a model class for what
    concerns many of its rows at once (an export of contacts).

    by=None within a request records the signed-in staff member; outside one (beat's
    scheduled publishing) nobody: the site acted on its own.
    """
    if event not in Event.values:
        raise ValueError(f"Unknown audit event {event!r}")
    actor = by if getattr(by, "pk", None) else None
    fields = {
        "action": LogEntry.Action.UPDATE,
        "changes": {},
        "actor": actor,
        "actor_email": getattr(actor, "email", None),
        "additional_data": {"event": str(event), **detail},
    }
    if isinstance(obj, type):
        return LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk="",
            object_repr=str(obj._meta.verbose_name_plural),
            **fields,
        )
    return LogEntry.objects.log_create(obj, force_log=True, **fields)


def audit_object_rename(*, obj, name: str) -> int:
    """Give obj's entries a new name for it (object_repr, the name it had when each was
    written): for erasing a person whose name or address names the object (a contact, a
    suppression). The changes already hold their personal data masked. Returns how many
    entries were renamed."""
    return LogEntry.objects.get_for_object(obj).update(object_repr=name)


def event_label(entry: LogEntry) -> str:
    """The event's text, or "" for an entry that records field changes."""
    name = (entry.additional_data or {}).get("event", "")
    return str(Event(name).label) if name in Event.values else name


def masked(value: str) -> str:
    """What the log keeps of personal data (mask_fields): that it changed, never the
    value, so that erasing a person's data leaves none of it in the log."""
    return value if value in ("", "None") else "***"
