"""The statement form's "Issued by", "Signed by" and press contacts: typed on the form,
without pop-ups; what is new is made on save; rows keep the order staff give them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from organizations.models import Contact, Organization
from statements.models import PressContact, Signature
from statements.services import editing
from tests.factories import make_organization, make_signatures, make_statement
from tests.support import form_fields

pytestmark = pytest.mark.django_db


def change_url(statement) -> str:
    return reverse("admin:statements_statement_change", args=[statement.pk])


def posted(staff_client, statement, **rows) -> dict:
    """The form as the page renders it, with rows added to the named sections:
    rows={"issuers": [{"name": ..., "position": ...}, ...]}."""
    data: dict[str, list[str]] = {}
    for name, value in form_fields(staff_client.get(change_url(statement)).text, "statement_form"):
        data.setdefault(name, []).append(value)
    for prefix, added in rows.items():
        start = int(data[f"{prefix}-TOTAL_FORMS"][0])
        for i, row in enumerate(added, start):
            for field, value in row.items():
                data[f"{prefix}-{i}-{field}"] = [str(value)]
            data[f"{prefix}-{i}-statement"] = [str(statement.pk)]
        data[f"{prefix}-TOTAL_FORMS"] = [str(start + len(added))]
    return data | {"_save": ["Save"]}


def test_an_issuer_typed_by_name_is_made_on_save_and_listed_as_issuer(staff_client):
    statement = make_statement()
    data = posted(
        staff_client, statement, issuers=[{"name": "Citizens for a Safe America", "position": 0}]
    )
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 302
    signature = statement.signatures.get()
    assert signature.organization.name == "Citizens for a Safe America"
    assert (signature.role, signature.source, signature.state) == (
        Signature.Role.ISSUER,
        Signature.Source.STAFF,
        Signature.State.APPROVED,
    )


def test_a_known_organization_typed_by_its_acronym_is_not_made_again(staff_client):
    known = make_organization(name="Syrian American Council", short_name="SAC")
    statement = make_statement()
    data = posted(staff_client, statement, signatories=[{"name": "sac", "position": 0}])
    assert staff_client.post(change_url(statement), data).status_code == 302
    assert statement.signatures.get().organization == known
    assert Organization.objects.count() == 1


def test_a_new_rows_role_follows_its_section(staff_client):
    statement = make_statement()
    data = posted(
        staff_client,
        statement,
        issuers=[{"name": "Lead Group", "position": 0}],
        signatories=[{"name": "Second Group", "position": 0}],
    )
    assert staff_client.post(change_url(statement), data).status_code == 302
    roles = dict(statement.signatures.values_list("organization__name", "role"))
    assert roles == {"Lead Group": "issuer", "Second Group": "signatory"}


def test_one_new_organization_typed_in_both_sections_is_refused_with_a_message(staff_client):
    statement = make_statement()
    data = posted(
        staff_client,
        statement,
        issuers=[{"name": "Lead Group", "position": 0}],
        signatories=[{"name": "lead group", "position": 0}],
    )
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "This organization is already listed under “Issued by”." in response.text
    assert not Organization.objects.exists()
    assert not statement.signatures.exists()


def test_rows_keep_the_order_of_their_positions(staff_client):
    statement = make_statement()
    data = posted(
        staff_client,
        statement,
        issuers=[
            {"name": "Given second", "position": 1},
            {"name": "Given first", "position": 0},
        ],
    )
    assert staff_client.post(change_url(statement), data).status_code == 302
    ordered = statement.signatures.order_by("position").values_list("organization__name", flat=True)
    assert list(ordered) == ["Given first", "Given second"]
    # Shown on the form again in that order.
    html = staff_client.get(change_url(statement)).text
    assert html.index('value="Given first"') < html.index('value="Given second"')


def test_an_organization_already_on_the_statement_is_refused_with_a_message(staff_client):
    statement = make_statement()
    [signature] = make_signatures(statement, 1)
    data = posted(
        staff_client, statement, issuers=[{"name": signature.organization.name, "position": 0}]
    )
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "is already on this statement" in response.text
    assert statement.signatures.count() == 1


def test_the_form_offers_known_names_as_an_organization_is_typed(staff_client):
    make_organization(name="Known Relief Network")
    html = staff_client.get(reverse("admin:statements_statement_add")).text
    assert '<datalist id="organization-names">' in html
    assert '<option value="Known Relief Network">' in html
    assert 'list="organization-names"' in html


def test_a_press_contact_known_by_title_alone_is_made_on_save(staff_client):
    statement = make_statement()
    data = posted(
        staff_client,
        statement,
        press_contacts=[
            {
                "organization_name": "Rukban Aid",
                "title": "Operations Manager",
                "email": "ops@rukban.example.org",
                "phone": "+962 6 555 0100",
                "position": 0,
            }
        ],
    )
    assert staff_client.post(change_url(statement), data).status_code == 302
    contact = statement.press_contacts.get().contact
    assert (contact.name, contact.title, contact.email, contact.phone) == (
        "",
        "Operations Manager",
        "ops@rukban.example.org",
        "+962 6 555 0100",
    )
    assert contact.organization.name == "Rukban Aid"


def test_a_press_contact_row_with_nothing_chosen_or_typed_says_so(staff_client):
    statement = make_statement()
    data = posted(staff_client, statement, press_contacts=[{"phone": "+1 202", "position": 0}])
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "Give a name or a title" in response.text
    assert not Contact.objects.exists()


def test_the_rows_are_ordered_by_dragging(staff_client):
    html = staff_client.get(reverse("admin:statements_statement_add")).text
    assert "js/admin-sortable.js" in html
    issuers = html.split('id="issuers-group"', 1)[1]
    assert issuers.index('<fieldset class="module sortable"') < issuers.index('id="issuers-empty"')


def test_too_many_signatories_for_rows_are_listed_under_the_form_instead(staff_client, settings):
    statement = make_statement()
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 151)
    html = staff_client.get(change_url(statement)).text
    assert 'id="issuers-group"' in html
    assert 'id="signatories-group"' not in html
    assert html.count('<tr class="listed-signature">') == 50
    # And the form can still be saved.
    data = posted(staff_client, statement)
    assert sum(len(values) for values in data.values()) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert staff_client.post(change_url(statement), data).status_code == 302


def test_an_outsider_may_not_add_organizations_or_press_contacts_to_a_statement(outsider):
    statement = make_statement()
    row = Signature(statement=statement, role=Signature.Role.ISSUER)
    with pytest.raises(PermissionDenied):
        editing.signature_by_name_save(signature=row, organization_name="New Group", by=outsider)
    with pytest.raises(PermissionDenied):
        editing.press_contact_by_name_save(
            press_contact=PressContact(statement=statement),
            by=outsider,
            organization_name="New Group",
            title="Operations Manager",
        )
    assert not Organization.objects.exists()
    assert not statement.signatures.exists()
