"""Workflow events in the audit log, beside the field changes django-auditlog records.

A publication, an override, a moderation decision, a confirmed or stopped send, an
export or a lifted suppression is one entry on the object it concerns, with who did it
and what it was (``additional_data["event"]``), so that staff read one history.
"""

from auditlog.models import LogEntry


def audit_event(*, obj, event: str, by=None, **detail) -> LogEntry:
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={},
        actor=by if getattr(by, "pk", None) else None,
        additional_data={"event": event, **detail},
    )
