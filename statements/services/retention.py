"""Co-signers' personal data kept only as long as it serves, then erased.

A signature's row stays (organization, role, state, dates), so counts and lists stay
true; what goes is the signer: name, title, email, phone and message (an individual's
affiliation and country too), the emailed links (their tokens; a link to an erased
signature leads nowhere) and the address on the emails owed to them. An individual who
is listed keeps what is published of them (name, title, affiliation, country), which
they agreed to have published: only the rest goes. Erased on request, they lose it all
and are listed no more. The consent is kept, in the words agreed to and with the time:
once the signer is gone it names nobody, and it records what the signature was given
under.

When: RETENTION_SIGNER_DAYS after the statement closed to co-signing (its closing time
passed) or was archived or retracted; RETENTION_UNFINISHED_DAYS after a signature was
rejected or withdrawn, or after the last confirmation email of one never confirmed.
A published statement still open to co-signing keeps its signers.
"""

import logging
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audit import Event, audit_event
from core.erasure import audit_scrub
from statements.models import (
    OutgoingEmail,
    Signature,
    SignatureToken,
    Statement,
    listed_signatures,
)

logger = logging.getLogger(__name__)

# What a listed individual agreed to have published, and what is private of every signer.
PUBLISHED_FIELDS = ("signer_name", "signer_title", "affiliation", "signer_country")
PRIVATE_FIELDS = ("signer_email", "signer_phone", "message", "person_key")
SIGNER_FIELDS = PUBLISHED_FIELDS + PRIVATE_FIELDS
HOLDS_SIGNER_DATA = reduce(or_, (~Q(**{field: ""}) for field in SIGNER_FIELDS))
BATCH = 500


def signatures_erase(
    *, signatures, now: datetime | None = None, fields: tuple[str, ...] = SIGNER_FIELDS
) -> list[int]:
    """Erase the signer's personal data (`fields`: all of it unless told) from these
    signatures, keeping the rows, and take it out of their audit entries and the emails
    owed to them. Returns the ids erased.

    Call it in a transaction. Nothing is logged by django-auditlog meanwhile: an entry
    of the change would hold the very values erased.
    """
    now = now or timezone.now()
    rows = list(signatures.values("pk", *fields))
    ids = [row["pk"] for row in rows]
    if not ids:
        return []
    with disable_auditlog():
        Signature.objects.filter(pk__in=ids).update(**dict.fromkeys(fields, ""), erased_at=now)
        SignatureToken.objects.filter(signature_id__in=ids).delete()
        # The emails stay as the record that they were owed; not one still unsent goes out.
        emails = OutgoingEmail.objects.filter(signature_id__in=ids)
        emails.filter(sent_at__isnull=True, failed_at__isnull=True).update(
            failed_at=now, claimed_at=None
        )
        emails.update(to="", last_error="")
    audit_scrub(
        model=Signature,
        values_by_pk={row["pk"]: [row[field] for field in fields] for row in rows},
        fields=fields,
    )
    return ids


def signatures_due_for_erasure(*, now: datetime):
    """Signatures whose signer's data has outlived the retention rules."""
    closed_before = now - timedelta(days=settings.RETENTION_SIGNER_DAYS)
    unfinished_before = now - timedelta(days=settings.RETENTION_UNFINISHED_DAYS)
    last_asked = Subquery(
        SignatureToken.objects.filter(
            signature=OuterRef("pk"), purpose=SignatureToken.Purpose.CONFIRM
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    closed = (
        Q(statement__cosign_closes_at__lt=closed_before)
        | Q(statement__archived_at__lt=closed_before)
        | Q(statement__retracted_at__lt=closed_before)
    )
    unfinished = (
        Q(state=Signature.State.REJECTED, decided_at__lt=unfinished_before)
        | Q(state=Signature.State.WITHDRAWN, withdrawn_at__lt=unfinished_before)
        | Q(state=Signature.State.SUBMITTED, last_asked__lt=unfinished_before)
    )
    return (
        Signature.objects.filter(erased_at__isnull=True)
        .filter(HOLDS_SIGNER_DATA)
        .alias(last_asked=Coalesce(last_asked, F("created_at")))
        .filter(closed | unfinished)
    )


def signer_data_erase_expired(*, now: datetime | None = None) -> list[int]:
    """Erase what the retention rules say has been kept long enough: the daily task.

    Each statement's erasure is one audit entry on it (how many, which signatures) and
    one line of the log. A second run finds nothing more to erase.
    """
    now = now or timezone.now()
    erased = []
    due = signatures_due_for_erasure(now=now)
    while batch := list(due.order_by("statement_id", "pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            due_now = Signature.objects.filter(pk__in=batch)
            listed = Q(kind=Signature.Kind.INDIVIDUAL) & listed_signatures()
            ids = signatures_erase(
                signatures=due_now.filter(listed), now=now, fields=PRIVATE_FIELDS
            ) + signatures_erase(signatures=due_now.exclude(listed), now=now)
            by_statement = {}
            for pk, statement_id in Signature.objects.filter(pk__in=ids).values_list(
                "pk", "statement_id"
            ):
                by_statement.setdefault(statement_id, []).append(pk)
            for statement in Statement.objects.filter(pk__in=by_statement):
                audit_event(
                    obj=statement,
                    event=Event.SIGNER_DATA_ERASED,
                    signatures=by_statement[statement.pk],
                    count=len(by_statement[statement.pk]),
                )
                logger.info(
                    "Retention: erased the signer's data of %s signatures on statement %s: %s",
                    len(by_statement[statement.pk]),
                    statement.pk,
                    by_statement[statement.pk],
                )
        erased += ids
    logger.info("Retention: erased the signer's data of %s signatures in all", len(erased))
    return erased
