"""Erased personal data taken out of the audit log too.

django-auditlog keeps, for each change, the object's name as it was (``object_repr``),
the fields changed with their old and new values (``changes``) and, for some models,
the whole object (``serialized_data``). Erasing a person from a row would leave them
there: these helpers overwrite what was theirs and keep the entry, so the history
still says who changed what and when.
"""

import json
import re

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast

ERASED = "[erased]"
MASKED = {ERASED, "***", "", "None", None}

TEXT_PARTS = ("object_repr", "changes_text")
JSON_PARTS = ("changes", "serialized_data", "additional_data")


def _replaced(text: str, pattern: re.Pattern | None) -> str:
    return pattern.sub(ERASED, text) if pattern and text else text


def _scrubbed_json(value, pattern: re.Pattern | None):
    if value is None or pattern is None:
        return value
    return json.loads(pattern.sub(ERASED, json.dumps(value, ensure_ascii=False)))


def _pattern(values) -> re.Pattern | None:
    # The longest first, so that an address is not half-replaced by a name inside it.
    values = sorted({v for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)
    if not values:
        return None
    return re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)


def _scrub(entry: LogEntry, fields, pattern) -> bool:
    """Overwrite the entry's erased values; saved only if it held any, so that a
    history whose personal fields were masked when logged costs no write."""
    before = [getattr(entry, part) for part in (*TEXT_PARTS, *JSON_PARTS)]
    before = json.dumps(before, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(entry.changes, dict):
        for field in fields:
            if field in entry.changes:
                # Values masked when logged (core.audit.masked) hold nothing to erase.
                entry.changes[field] = [
                    value if value in MASKED else ERASED for value in entry.changes[field]
                ]
    if isinstance(entry.serialized_data, dict):
        stored = entry.serialized_data.get("fields") or {}
        for field in fields:
            if stored.get(field):
                stored[field] = ERASED
    for part in TEXT_PARTS:
        setattr(entry, part, _replaced(getattr(entry, part), pattern))
    for part in JSON_PARTS:
        setattr(entry, part, _scrubbed_json(getattr(entry, part), pattern))
    after = [getattr(entry, part) for part in (*TEXT_PARTS, *JSON_PARTS)]
    if json.dumps(after, ensure_ascii=False, sort_keys=True, default=str) == before:
        return False
    entry.save(update_fields=[*TEXT_PARTS, *JSON_PARTS])
    return True


def audit_scrub(*, model, values_by_pk: dict, fields=()) -> int:
    """Overwrite, in the audit entries of these objects (their primary keys, each with
    the values that were its own: an address, a name), the named fields' values, and
    the object's values wherever they appear, in any case. Returns how many entries it
    rewrote; one query finds them all, and only those that held something are written."""
    patterns = {str(pk): _pattern(values) for pk, values in values_by_pk.items()}
    if not patterns:
        return 0
    content_types = {
        ContentType.objects.get_for_model(model, for_concrete_model=False),
        ContentType.objects.get_for_model(model),
    }
    entries = LogEntry.objects.filter(content_type__in=content_types, object_pk__in=patterns)
    return sum(_scrub(entry, fields, patterns[entry.object_pk]) for entry in entries.iterator())


def audit_scrub_everywhere(*, values) -> int:
    """Overwrite the values (an email address, say) in every audit entry that holds them,
    whatever object it is about: another object's history may name the person (a press
    list's members, a distribution's recipients). Reads the whole log: for requests, not
    for the daily retention."""
    pattern = _pattern(values)
    if pattern is None:
        return 0
    holds = Q()
    for value in {v for v in values if v and len(v.strip()) >= 3}:
        for part in TEXT_PARTS:
            holds |= Q(**{f"{part}__icontains": value})
        for part in JSON_PARTS:
            holds |= Q(**{f"{part}_as_text__icontains": value})
    entries = LogEntry.objects.annotate(
        **{f"{part}_as_text": Cast(part, TextField()) for part in JSON_PARTS}
    ).filter(holds)
    return sum(_scrub(entry, (), pattern) for entry in entries.iterator())
