import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from organizations.models import Contact, Organization
from statements.models import Demand, PressContact, Quote, Signature, Statement
from statements.services import importing
from statements.services.importing import release_import_create, release_import_matches
from tests.factories import make_contact, make_organization, make_statement

pytestmark = pytest.mark.django_db


def parsed_release(**overrides) -> dict:
    """What the parser makes of a small release, in its contract's shape."""
    release = {
        "kind": "urgent_joint_statement",
        "headline": "Stop the shelling of Idlib's markets",
        "standfirst": "Four groups ask for protection of civilians.",
        "dateline": "WASHINGTON, DC",
        "release_date": "2023-06-26",
        "body": "The market was hit on Sunday.\n\n- ten killed\n- sixty injured",
        "demands_heading": "We call upon the following actions:",
        "demands": [
            {"heading": "Ceasefire", "text": "That the attacks stop now."},
            {"heading": "Access", "text": "That aid reaches the injured."},
        ],
        "closing": "We stand with the people of Idlib.",
        "quotes": [
            {
                "text": "Markets are not targets.",
                "person_name": "Rana Haddad",
                "person_title": "Director",
                "organization": "C4SSA",
            }
        ],
        "issuers": [
            {"name": "Citizens for a Secure and Safe America", "short_name": "C4SSA"},
            {"name": "Syrian Emergency Task Force", "short_name": "SETF"},
        ],
        "signatories": [{"name": "Global Justice", "short_name": ""}],
        "press_contacts": [
            {
                "name": "",
                "title": "Operations Manager",
                "organization": "Syrian Emergency Task Force",
                "email": "[email protected]",
                "phone": "+1 202 555 0100",
            }
        ],
        "press_contacts_heading": "For press inquiries, please contact:",
        "image_credit": "Credit: Civil Defence",
        "warnings": [],
    }
    return release | overrides


def counts() -> tuple[int, ...]:
    models = [Statement, Signature, Demand, Quote, PressContact, Contact, Organization]
    return tuple(model.objects.count() for model in models)


def test_it_creates_the_draft_with_every_part(staff):
    statement = release_import_create(parsed=parsed_release(), by=staff)

    assert statement.status == Statement.Status.DRAFT
    assert statement.kind == Statement.Kind.URGENT_JOINT_STATEMENT
    assert statement.title == "Stop the shelling of Idlib's markets"
    assert statement.slug == "stop-the-shelling-of-idlibs-markets"
    assert statement.dateline == "WASHINGTON, DC"
    assert statement.release_date == datetime.date(2023, 6, 26)
    assert statement.body.endswith("- sixty injured")
    assert statement.demands_heading == "We call upon the following actions:"
    assert statement.closing == "We stand with the people of Idlib."
    assert statement.press_contacts_heading == "For press inquiries, please contact:"
    assert statement.hero_credit == "Credit: Civil Defence"
    assert [(d.position, d.heading) for d in statement.demands.all()] == [
        (0, "Ceasefire"),
        (1, "Access"),
    ]
    signatures = statement.signatures.order_by("role", "position")
    assert [(s.role, s.position, s.organization.name) for s in signatures] == [
        ("issuer", 0, "Citizens for a Secure and Safe America"),
        ("issuer", 1, "Syrian Emergency Task Force"),
        ("signatory", 0, "Global Justice"),
    ]
    assert all(s.state == Signature.State.APPROVED for s in signatures)
    assert Organization.objects.get(name="Syrian Emergency Task Force").short_name == "SETF"
    quote = statement.quotes.get()
    # The quote names its organization by acronym: the issuer just made.
    assert quote.organization.name == "Citizens for a Secure and Safe America"


def test_a_contact_known_by_title_alone_is_made_and_a_hidden_email_left_empty(staff):
    statement = release_import_create(parsed=parsed_release(), by=staff)

    contact = statement.press_contacts.get().contact
    assert (contact.name, contact.title, contact.email) == ("", "Operations Manager", "")
    assert contact.phone == "+1 202 555 0100"
    assert contact.organization.name == "Syrian Emergency Task Force"
    assert str(contact) == "Operations Manager, SETF"


def test_the_slug_is_made_unique_in_the_headline_script(staff):
    make_statement(slug="stop-the-shelling-of-idlibs-markets")
    arabic = "أوقفوا القصف"

    first = release_import_create(parsed=parsed_release(), by=staff)
    second = release_import_create(
        parsed=parsed_release(headline=arabic, issuers=[], signatories=[]), by=staff
    )

    assert first.slug == "stop-the-shelling-of-idlibs-markets-2"
    assert second.slug == "أوقفوا-القصف"


@pytest.mark.parametrize(
    "known, entry",
    [
        ({"name": "Syrian Emergency Task Force"}, {"name": "SYRIAN EMERGENCY TASK FORCE"}),
        ({"name": "Syrian Emergency Task Force", "short_name": "SETF"}, {"name": "SETF"}),
        (
            {"name": "Syrian Emergency Task Force", "short_name": "SETF"},
            {"name": "Syrian Emergency Taskforce", "short_name": "SETF"},
        ),
    ],
    ids=["by name", "by acronym as name", "by acronym"],
)
def test_it_matches_a_known_organization(staff, known, entry):
    organization = make_organization(**({"short_name": ""} | known))
    parsed = parsed_release(issuers=[entry | {"short_name": entry.get("short_name", "")}])

    assert release_import_matches(parsed=parsed)["issuers-0"] == organization
    statement = release_import_create(parsed=parsed, by=staff)

    assert statement.signatures.get(role="issuer").organization == organization


def test_a_press_contact_organization_is_matched_by_the_domain_of_the_address(staff):
    organization = make_organization(name="Global Justice", website="https://www.gj.example")
    parsed = parsed_release(
        press_contacts=[
            {
                "name": "Sam Lee",
                "title": "",
                "organization": "GJ Action",
                "email": "sam@gj.example",
                "phone": "",
            }
        ]
    )

    statement = release_import_create(parsed=parsed, by=staff)

    assert statement.press_contacts.get().contact.organization == organization


def test_it_proposes_a_new_organization_and_makes_it(staff):
    assert release_import_matches(parsed=parsed_release())["signatories-0"] is None

    release_import_create(parsed=parsed_release(), by=staff)

    made = Organization.objects.get(name="Global Justice")
    assert made.slug == "global-justice"


def test_staff_merge_a_name_into_a_known_organization_and_rename_a_new_one(staff):
    known = make_organization(name="Citizens for a Safe America", short_name="CSA")
    matches = {"issuers-0": known.pk, "issuers-1": None, "signatories-0": known.pk}
    parsed = parsed_release(
        issuers=[
            {"name": "Citizens for a Secure and Safe America", "short_name": "C4SSA"},
            {"name": "Syria Emergency Task Force (renamed)", "short_name": "SETF"},
        ]
    )

    statement = release_import_create(parsed=parsed, by=staff, matches=matches)

    assert not Organization.objects.filter(name="Citizens for a Secure and Safe America").exists()
    # Merged twice into one organization: it is on the statement once, as an issuer.
    assert [
        (s.role, s.organization.name) for s in statement.signatures.order_by("role", "position")
    ] == [
        ("issuer", "Citizens for a Safe America"),
        ("issuer", "Syria Emergency Task Force (renamed)"),
    ]


def test_a_known_contact_is_found_by_email_then_by_name_at_the_organization(staff):
    organization = make_organization(name="Syrian Emergency Task Force", short_name="SETF")
    by_email = make_contact(organization=organization, name="Old Name", email="ops@setf.example")
    by_name = make_contact(organization=organization, name="Dana Ali", email="")
    by_title = make_contact(organization=organization, name="", title="Operations Manager")
    parsed = parsed_release(
        press_contacts=[
            {"name": "New Name", "title": "", "organization": "SETF", "email": "OPS@setf.example"},
            {"name": "dana ali", "title": "", "organization": "SETF", "email": ""},
            {"name": "", "title": "Operations Manager", "organization": "SETF", "email": ""},
        ]
    )

    statement = release_import_create(parsed=parsed, by=staff)

    assert [p.contact for p in statement.press_contacts.all()] == [by_email, by_name, by_title]
    assert Contact.objects.count() == 3


def test_a_failure_midway_leaves_nothing(staff, monkeypatch):
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importing.PressContact.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        release_import_create(parsed=parsed_release(), by=staff)

    assert counts() == before


def test_bad_parts_are_refused_with_a_message_and_nothing_written(staff):
    before = counts()

    with pytest.raises(ValidationError) as headline:
        release_import_create(parsed=parsed_release(headline="  "), by=staff)
    with pytest.raises(ValidationError) as too_long:
        release_import_create(parsed=parsed_release(dateline="X" * 101), by=staff)
    with pytest.raises(ValidationError) as nameless:
        release_import_create(
            parsed=parsed_release(press_contacts=[{"name": "", "title": "", "organization": "X"}]),
            by=staff,
        )

    assert headline.value.messages == ["The release needs a headline."]
    assert "dateline" in too_long.value.message_dict
    assert "name" in nameless.value.message_dict
    assert counts() == before


def test_outsiders_may_not_import(db):
    user = User.objects.create_user("looker", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_statement"))

    for by in (None, user):
        with pytest.raises(PermissionDenied):
            release_import_create(parsed=parsed_release(), by=by)
    assert Statement.objects.count() == 0
