"""Deleting a statement or a signature: only while nothing in it is a record someone
relies on (who was asked to approve which text, a partner's signature, an email).

The models PROTECT those records, so no cascade erases them; these functions say
why in words staff read, and delete what may go. The one record they delete on
purpose is the history of a signature staff added to a statement never published:
it tells only of the staff's own drafting.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.permissions import permission_require
from core.records import protected_records
from statements.models import Signature, SignatureEvent, Statement


def _staff_drafting(record) -> bool:
    return (
        isinstance(record, SignatureEvent)
        and record.signature.source == Signature.Source.STAFF
        and record.signature.statement.published_at is None
    )


def _kept(records: list[str]) -> list[str]:
    if not records:
        return []
    return [
        gettext("It holds records that must stay: %(records)s.") % {"records": ", ".join(records)}
    ]


def statement_deletion_refusals(statement: Statement) -> list[str]:
    """Why the statement may not be deleted, one sentence a reason; none if it may."""
    if statement.published_at is not None:
        return [gettext("It has been published: archive or retract it instead.")]
    return _kept(protected_records(statement, deletable=_staff_drafting))


def statement_delete(*, statement: Statement, by) -> None:
    """Delete a statement that holds no record: a draft nobody outside the staff answered."""
    permission_require(
        by=by, perm="statements.delete_statement", message=gettext("You may not delete statements.")
    )
    with transaction.atomic():
        refusals = statement_deletion_refusals(statement)
        if refusals:
            raise ValidationError(refusals[0], code="kept_record")
        SignatureEvent.objects.filter(signature__statement=statement).delete()
        statement.delete()


def signature_deletion_refusals(signature: Signature) -> list[str]:
    """Why the signature may not be deleted, one sentence a reason; none if it may."""
    if signature.source == Signature.Source.FORM:
        return [
            gettext(
                "It came through the co-sign form: reject it, or the signer withdraws it with "
                "the link in their email."
            )
        ]
    if signature.statement.published_at is not None:
        return [gettext("It has been listed on the published statement.")]
    return _kept(protected_records(signature, deletable=_staff_drafting))


def signature_delete(*, signature: Signature, by) -> None:
    """Delete a signature staff added to a statement not published yet, with its history."""
    permission_require(
        by=by, perm="statements.delete_signature", message=gettext("You may not delete signatures.")
    )
    with transaction.atomic():
        refusals = signature_deletion_refusals(signature)
        if refusals:
            raise ValidationError(refusals[0], code="kept_record")
        signature.events.all().delete()
        signature.delete()
