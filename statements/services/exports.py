"""Exports staff download: a statement's signatories as CSV."""

import csv
from itertools import count

from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.permissions import permission_require
from core.spreadsheets import csv_safe
from statements.models import Signature, Statement

CSV_COLUMNS = [
    "name", "short name", "country", "role", "signer", "title", "email", "phone",
    "state", "source", "signed at", "confirmed at", "decided at", "withdrawn at",
    "kind", "number", "group", "affiliation", "joined on", "exported at",
]  # fmt: skip


def signatories_export(*, statement: Statement, out, by) -> int:
    """Write the statement's signatories, signers' names and addresses included, to out
    as CSV, and record the export in the audit log; returns how many rows.

    Those listed come first, as the page lists them (issuers, the organizations under
    their headings, then the individuals), each tier numbered from 1; then those not
    listed (awaiting confirmation or approval, rejected, withdrawn), alphabetically.
    Every row says when the file was made: the list as it stood then.
    """
    permission_require(
        by=by,
        perm="statements.export_signature",
        message=gettext("You may not export signatories."),
    )
    exported_at = _when(timezone.now())
    language = statement.language
    signatures = statement.signatures.select_related("organization", "group")
    listed = set(signatures.listed().values_list("pk", flat=True))
    order = statement.signatory_order
    in_list = [
        *signatures.organizations().in_order(
            order, language=language, grouping=statement.signatory_grouping
        ),
        *signatures.individuals().in_order(order, language=language),
    ]
    rest = signatures.in_order(Statement.SignatoryOrder.ALPHABETICAL, language=language)
    numbers = {kind: count(1) for kind in Signature.Kind}
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for s in [s for s in in_list if s.pk in listed] + [s for s in rest if s.pk not in listed]:
        is_listed = s.pk in listed
        number = ""
        if is_listed and s.role == Signature.Role.SIGNATORY:
            number = next(numbers[s.kind])
        joined_on = ""
        published_at = statement.published_at
        if is_listed and published_at and s.decided_at and s.decided_at > published_at:
            joined_on = timezone.localdate(s.decided_at).isoformat()
        # An organization still to be made (the signer has not confirmed) as it was typed.
        organization = s.organization
        if s.is_individual():
            country = s.signer_country
        else:
            country = organization.country if organization else s.organization_country
        dates = [s.created_at, s.confirmed_at, s.decided_at, s.withdrawn_at]
        writer.writerow(
            csv_safe(value)
            for value in [
                s.organization_label(),
                organization.short_name if organization else "",
                country.name,
                s.get_role_display(),
                s.signer_name,
                s.signer_title,
                s.signer_email,
                s.signer_phone,
                s.get_state_display(),
                s.get_source_display(),
                *(_when(d) if d else "" for d in dates),
                s.kind,
                number,
                s.group.name if s.group else "",
                s.affiliation,
                joined_on,
                exported_at,
            ]
        )
        rows += 1
    audit_event(obj=statement, event=Event.SIGNATORIES_EXPORTED, by=by, count=rows)
    return rows


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes")
