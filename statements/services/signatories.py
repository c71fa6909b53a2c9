"""Individual signatories added by staff: one typed into the admin, or many imported from
a spreadsheet (statements.resources.IndividualResource). Either is listed at once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from core.names import name_clean
from core.permissions import permission_require
from statements.models import Signature
from statements.services.cosigning import signature_add


def individual_add(*, signature: Signature, by) -> Signature:
    """Staff add a person who signed in their own name (by phone, email, on paper):
    approved at once, like an organization staff add. The person must have agreed to
    have their name published; without it there is nothing to list."""
    signature.kind = Signature.Kind.INDIVIDUAL
    signature.role = Signature.Role.SIGNATORY
    signature.organization = None
    signature.signer_name = name_clean(signature.signer_name)
    if not signature.signer_name:
        raise ValidationError(gettext("Give the person's name."), code="name_required")
    if not signature.consent_publish:
        raise ValidationError(
            gettext("An individual is listed only once they agreed to have their name published."),
            code="consent_required",
        )
    signature.statement = signature.statement.original
    return signature_add(signature=signature, by=by)


def individuals_import_require(*, by) -> None:
    """Refuse unless `by` may import individual signatories: asked before a file is read."""
    permission_require(
        by=by,
        perm="statements.import_signature",
        message=gettext("You may not import individual signatories."),
    )


def individual_import(*, signature: Signature, by) -> Signature:
    """One row of an imported list of individuals, added as individual_add() adds one."""
    individuals_import_require(by=by)
    return individual_add(signature=signature, by=by)
