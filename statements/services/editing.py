"""What staff type on the statement form instead of opening pop-ups: an issuing or
signatory organization by its name, a press contact by name, title and address. A name
that matches nothing known makes a new organization (or contact) on save."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import permission_require
from organizations.models import Contact
from organizations.services import contact_add, organization_match_or_create
from statements.models import PressContact, Signature
from statements.services.cosigning import signature_add


@transaction.atomic
def signature_by_name_save(*, signature: Signature, organization_name: str, by) -> Signature:
    """Save a row of the statement's "Issued by" or "Signed by": the organization named
    (matched by name, acronym or look-alike name; made if new); a new row is added by
    staff, so approved at once."""
    permission_require(
        by=by, perm="statements.change_statement", message=_("You may not change statements.")
    )
    organization, _created = organization_match_or_create(name=organization_name)
    signature.organization = organization
    if signature.pk is None:
        return signature_add(signature=signature, by=by)
    signature.save()
    return signature


@transaction.atomic
def press_contact_by_name_save(
    *,
    press_contact: PressContact,
    by,
    organization_name: str = "",
    name: str = "",
    title: str = "",
    email: str = "",
    phone: str = "",
) -> PressContact:
    """Save a press contact row: the contact chosen, or the one typed, found at its
    organization by address (or by name and title when it has none) or made there."""
    permission_require(
        by=by, perm="statements.change_statement", message=_("You may not change statements.")
    )
    if press_contact.contact_id is None:
        organization, _created = organization_match_or_create(name=organization_name)
        if email:
            contact = contact_add(organization=organization, email=email, name=name, title=title)
        else:
            contact = Contact.objects.filter(
                organization=organization, email="", name=name, title=title
            ).first() or Contact.objects.create(organization=organization, name=name, title=title)
        if phone and not contact.phone:
            contact.phone = phone
            contact.save(update_fields=["phone"])
        press_contact.contact = contact
    press_contact.save()
    return press_contact
