"""Exports staff download: a statement's signatories as CSV."""

import csv

from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.permissions import permission_require
from core.spreadsheets import csv_safe
from statements.models import Statement

CSV_COLUMNS = [
    "organization", "short name", "country", "role", "signer", "title", "email", "phone",
    "state", "source", "signed at", "confirmed at", "decided at", "withdrawn at",
]  # fmt: skip


def signatories_export(*, statement: Statement, out, by) -> int:
    """Write the statement's signatories, signers' names and addresses included, to out
    as CSV, and record the export in the audit log; returns how many rows."""
    permission_require(
        by=by,
        perm="statements.export_signature",
        message=gettext("You may not export signatories."),
    )
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    signatures = statement.signatures.in_order(
        Statement.SignatoryOrder.ALPHABETICAL
    ).select_related("organization")
    for s in signatures:
        dates = [s.created_at, s.confirmed_at, s.decided_at, s.withdrawn_at]
        # An organization still to be made (the signer has not confirmed) as it was typed.
        organization = s.organization
        writer.writerow(
            csv_safe(value)
            for value in [
                s.organization_label(),
                organization.short_name if organization else "",
                (organization.country if organization else s.organization_country).name,
                s.get_role_display(),
                s.signer_name,
                s.signer_title,
                s.signer_email,
                s.signer_phone,
                s.get_state_display(),
                s.get_source_display(),
                *(timezone.localtime(d).isoformat(timespec="minutes") if d else "" for d in dates),
            ]
        )
    audit_event(obj=statement, event=Event.SIGNATORIES_EXPORTED, by=by, count=len(signatures))
    return len(signatures)
