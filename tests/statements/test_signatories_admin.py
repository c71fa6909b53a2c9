"""The statement's list of signatories as staff set it in the admin: how it is printed,
its groups, where each organization stands, and individuals added by hand."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagecache import SITE, _generation_key
from statements.models import SignatoryGroup, Signature, SignatureEvent, Statement
from statements.selectors import signatory_list
from statements.services import signatories, translations
from tests.factories import make_individuals, make_organization, make_signatures, make_statement
from tests.support import form_fields

pytestmark = pytest.mark.django_db

ADD = reverse("admin:statements_signature_add")
CHANGELIST = reverse("admin:statements_signature_changelist")


def change_url(statement) -> str:
    return reverse("admin:statements_statement_change", args=[statement.pk])


def posted(client, statement, **changes) -> dict[str, list[str]]:
    """The statement form as the page renders it, with fields changed (None unticks)."""
    data: dict[str, list[str]] = {}
    for name, value in form_fields(client.get(change_url(statement)).text, "statement_form"):
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [str(value)]
    return data | {"_save": ["Save"]}


def with_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    start = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for i, row in enumerate(rows, start):
        for field, value in row.items():
            data[f"{prefix}-{i}-{field}"] = [str(value)]
    data[f"{prefix}-TOTAL_FORMS"] = [str(start + len(rows))]
    return data


def site_generation(part: str = SITE):
    return cache.get(_generation_key(part))


def test_staff_set_how_the_list_is_printed_and_the_public_pages_are_rendered_again(
    staff_client, django_capture_on_commit_callbacks
):
    statement = make_statement()
    before = site_generation()
    data = posted(
        staff_client,
        statement,
        signers="everyone",
        individuals_auto_approve="on",
        affiliation_note="Institutions named for identification.",
        signatory_order="country",
        signatory_numbering="on",
        signatory_details="on",
        signatory_grouping="groups",
        logo_wall="on",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(statement), data)

    assert response.status_code == 302
    statement.refresh_from_db()
    assert (
        statement.signers, statement.individuals_auto_approve, statement.affiliation_note,
        statement.signatory_order, statement.signatory_numbering, statement.signatory_details,
        statement.signatory_grouping, statement.logo_wall,
    ) == (
        "everyone", True, "Institutions named for identification.", "country", True, True,
        "groups", True,
    )  # fmt: skip
    assert site_generation() not in (None, before)


def test_the_settings_are_in_one_signatories_section(staff_client):
    response = staff_client.get(change_url(make_statement()))
    fieldsets = {
        name: options["fields"] for name, options in response.context["adminform"].fieldsets
    }
    assert fieldsets["Signatories"] == [
        "signers", "individuals_auto_approve", "affiliation_note", "signatory_order",
        ("signatory_numbering", "signatory_details"), "signatory_grouping", "logo_wall",
    ]  # fmt: skip
    assert "signatory_order" not in fieldsets["Co-signing"]


def test_staff_name_groups_in_order_and_renaming_one_renders_the_pages_again(
    staff_client, django_capture_on_commit_callbacks
):
    statement = make_statement()
    data = with_rows(
        posted(staff_client, statement),
        "signatory_groups",
        [
            {"name": "Endorsing organizations", "position": 1},
            {"name": "Lead organizations", "position": 0},
        ],
    )
    assert staff_client.post(change_url(statement), data).status_code == 302
    assert list(statement.signatory_groups.values_list("name", flat=True)) == [
        "Lead organizations",
        "Endorsing organizations",
    ]

    before = site_generation()
    data = posted(staff_client, statement)
    data["signatory_groups-0-name"] = ["Leading organizations"]
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(change_url(statement), data).status_code == 302
    assert statement.signatory_groups.first().name == "Leading organizations"
    assert site_generation() not in (None, before)


def test_two_groups_of_one_name_are_refused(staff_client):
    statement = make_statement()
    data = with_rows(
        posted(staff_client, statement),
        "signatory_groups",
        [{"name": "Lead", "position": 0}, {"name": "Lead", "position": 1}],
    )
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert not statement.signatory_groups.exists()


def test_a_translation_leaves_the_list_and_its_groups_to_its_original(staff_client, staff):
    original = make_statement()
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    names = {
        n for n, _v in form_fields(staff_client.get(change_url(translation)).text, "statement_form")
    }
    assert not names & {"signers", "signatory_numbering", "logo_wall", "affiliation_note"}
    assert "signatory_groups-TOTAL_FORMS" not in names


def test_a_signatory_row_is_pinned_grouped_sorted_and_may_show_its_logo(staff_client):
    statement = make_statement()
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead organizations")
    signature = Signature.objects.create(
        statement=statement, organization=make_organization(name="The Syria Campaign")
    )
    data = posted(staff_client, statement)
    data |= {
        "signatories-0-pinned": ["on"],
        "signatories-0-group": [str(lead.pk)],
        "signatories-0-sort_as": ["Syria Campaign, The"],
        "signatories-0-show_logo": ["on"],
    }

    assert staff_client.post(change_url(statement), data).status_code == 302

    signature.refresh_from_db()
    assert (signature.pinned, signature.group, signature.sort_as, signature.show_logo) == (
        True, lead, "Syria Campaign, The", True,
    )  # fmt: skip
    assert signature.sort_key == "Syria Campaign, The"


def test_an_issuer_row_has_no_place_to_set(staff_client):
    statement = make_statement()
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    names = {
        n for n, _v in form_fields(staff_client.get(change_url(statement)).text, "statement_form")
    }
    assert "issuers-0-name" in names
    assert not {"issuers-0-pinned", "issuers-0-group", "issuers-0-sort_as"} & names


def test_a_row_offers_only_its_statements_groups(staff_client):
    statement, other = make_statement(), make_statement()
    own = SignatoryGroup.objects.create(statement=statement, name="Lead organizations")
    foreign = SignatoryGroup.objects.create(statement=other, name="Someone else's")
    make_signatures(statement, 1)
    response = staff_client.get(change_url(statement))
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "signatories"
    )
    assert list(formset.forms[0].fields["group"].choices) == [
        ("", "—"),
        (own.pk, "Lead organizations"),
    ]

    data = posted(staff_client, statement)
    data["signatories-0-group"] = [str(foreign.pk)]
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not statement.signatures.filter(group__isnull=False).exists()


def test_the_groups_menu_costs_the_same_queries_however_many_rows(staff_client):
    few, many = make_statement(), make_statement()
    for statement in (few, many):
        SignatoryGroup.objects.create(statement=statement, name="Lead")
        SignatoryGroup.objects.create(statement=statement, name="Endorsing")
    make_signatures(few, 2)
    make_signatures(many, 40)
    with CaptureQueriesContext(connection) as for_few:
        staff_client.get(change_url(few))
    with CaptureQueriesContext(connection) as for_many:
        staff_client.get(change_url(many))
    assert len(for_many) == len(for_few)


def individual_form(statement, **overrides) -> dict:
    return {
        "statement": statement.pk,
        "signer_name": "Amaka Okafor",
        "signer_title": "Professor of Law",
        "affiliation": "University of Lagos",
        "signer_country": "NG",
        "signer_email": "Amaka@Example.org",
        "consent_publish": "on",
        "sort_as": "",
        "pinned": "",
        "group": "",
        "_save": "Save",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    } | overrides


def add_individual_url(statement) -> str:
    return f"{ADD}?statement={statement.pk}&kind=individual"


def test_staff_add_an_individual_by_hand_listed_at_once(
    staff_client, staff, django_capture_on_commit_callbacks
):
    statement = make_statement(signers=Statement.Signers.EVERYONE)
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead signers")
    form = staff_client.get(add_individual_url(statement)).context["adminform"].form
    assert set(form.fields) == {
        "statement", "signer_name", "signer_title", "affiliation", "signer_country",
        "signer_email", "consent_publish", "pinned", "group", "sort_as",
    }  # fmt: skip
    before = site_generation(f"statement:{statement.slug}")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            add_individual_url(statement), individual_form(statement, group=lead.pk)
        )

    assert response.status_code == 302, response.text[:2000]
    assert response["Location"] == change_url(statement) + "#individuals"
    signature = statement.signatures.get()
    assert (
        signature.kind, signature.organization, signature.role, signature.state, signature.source,
        signature.person_key, signature.sort_key, signature.group, signature.consent_publish,
    ) == (
        "individual", None, "signatory", "approved", "staff", "amaka@example.org",
        "Okafor Amaka", lead, True,
    )  # fmt: skip
    assert signature.events.get().kind == SignatureEvent.Kind.ADDED
    assert signature.events.get().actor == staff
    assert [s.name for s in signatory_list(statement).individuals] == ["Amaka Okafor"]
    assert site_generation(f"statement:{statement.slug}") not in (None, before)


def test_an_individual_is_listed_only_with_their_consent_and_a_name(staff_client):
    statement = make_statement()
    response = staff_client.post(
        add_individual_url(statement),
        individual_form(statement, consent_publish="", signer_name="\u200b "),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["consent_publish"] == [
        "An individual is listed only once they agreed to have their name published."
    ]
    assert errors["signer_name"] == ["Give the person's name."]
    assert not statement.signatures.exists()


def test_someone_already_on_the_statement_is_not_added_again(staff_client):
    statement = make_statement()
    make_individuals(statement, 1, signer_email="amaka@example.org", person_key="amaka@example.org")
    response = staff_client.post(add_individual_url(statement), individual_form(statement))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["signer_email"] == [
        "Someone with this address has already signed this statement."
    ]
    assert statement.signatures.count() == 1


def test_an_individual_may_be_added_without_an_address(staff_client):
    statement = make_statement()
    for name in ["Ahmad Khalil", "Rana Haddad"]:
        response = staff_client.post(
            add_individual_url(statement),
            individual_form(statement, signer_name=name, signer_email=""),
        )
        assert response.status_code == 302
    assert statement.signatures.individuals().listed().count() == 2


def test_the_service_refuses_whoever_may_not_add_signatures(viewer):
    statement = make_statement()
    for by in (viewer, None):
        with pytest.raises(PermissionDenied, match="You may not add signatures"):
            signatories.individual_add(
                signature=Signature(statement=statement, signer_name="A B", consent_publish=True),
                by=by,
            )
    assert not statement.signatures.exists()


def test_the_service_adds_an_individual_to_the_original_of_a_translation(moderator, staff):
    original = make_statement()
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    signature = signatories.individual_add(
        signature=Signature(statement=translation, signer_name="رنا حداد", consent_publish=True),
        by=moderator,
    )
    assert signature.statement == original
    assert signature.is_individual()


def test_outsiders_are_sent_to_the_login_page(client):
    statement = make_statement()
    response = client.get(add_individual_url(statement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_may_only_view_cannot_add_an_individual(client, viewer):
    statement = make_statement()
    assert client.get(add_individual_url(statement)).status_code == 403
    assert client.post(add_individual_url(statement), individual_form(statement)).status_code == 403
    assert not statement.signatures.exists()


def test_the_computed_sort_key_is_shown_beside_the_one_staff_give(staff_client):
    statement = make_statement()
    (beethoven,) = make_individuals(
        statement, 1, signer_name="Ludwig van Beethoven", sort_key="Beethoven Ludwig van"
    )
    url = reverse("admin:statements_signature_change", args=[beethoven.pk])
    html = staff_client.get(url).text
    assert '<div class="readonly">Beethoven Ludwig van</div>' in html

    data = {
        "signer_name": "Ludwig van Beethoven",
        "signer_title": "Composer",
        "affiliation": "",
        "signer_country": "AT",
        "signer_email": beethoven.signer_email,
        "consent_publish": "on",
        "sort_as": "Beethoven, Ludwig van",
        "pinned": "",
        "group": "",
        "_continue": "Save",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    assert staff_client.post(url, data).status_code == 302
    beethoven.refresh_from_db()
    assert beethoven.sort_key == "Beethoven, Ludwig van"
    assert '<div class="readonly">Beethoven, Ludwig van</div>' in staff_client.get(url).text


def test_the_statement_links_to_its_individuals_with_their_count(staff_client):
    statement = make_statement()
    make_individuals(statement, 3)
    make_individuals(statement, 1, state=Signature.State.WITHDRAWN)
    html = staff_client.get(change_url(statement)).text
    link = f"{CHANGELIST}?statement__id__exact={statement.pk}&amp;kind__exact=individual"
    assert f'<a href="{link}" id="individuals-link">Individuals (4)</a>' in html
    assert "3 listed on the page." in html
    assert f"{ADD}?statement={statement.pk}&amp;kind=individual" in html
    assert reverse("admin:statements_signature_import") + f"?statement={statement.pk}" in html


def test_the_individuals_changelist_shows_their_own_columns(staff_client):
    statement = make_statement()
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead signers")
    make_individuals(statement, 2, signer_country="SY", group=lead, pinned=True)
    make_signatures(statement, 1)

    response = staff_client.get(
        f"{CHANGELIST}?statement__id__exact={statement.pk}&kind__exact=individual"
    )

    assert response.context["cl"].result_count == 2
    assert response.context["cl"].list_display[1:] == [
        "individual_name", "title", "affiliation", "signer_country", "statement_shown", "state",
        "pinned", "group", "sort_as", "sort_key",
    ]  # fmt: skip
    assert "University 1" in response.text
    assert "Syria" in response.text
    assert "Lead signers" in response.text


def test_every_signature_list_tells_an_individual_from_an_organization(staff_client):
    statement = make_statement()
    make_individuals(statement, 1, signer_name="رنا حداد")
    response = staff_client.get(f"{CHANGELIST}?statement__id__exact={statement.pk}")
    # make_individuals gives each a title and an affiliation.
    assert "<bdi>رنا حداد</bdi> — <bdi>Researcher</bdi>, <bdi>University 0</bdi> (individual)" in (
        response.text
    )
    assert "made when the signer confirms" not in response.text
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert "signs as" in filters


def test_a_row_left_without_a_name_says_so(staff_client):
    statement = make_statement()
    make_signatures(statement, 1)
    data = posted(staff_client, statement)
    data["signatories-0-name"] = ["\u200b "]
    response = staff_client.post(change_url(statement), data)
    assert response.status_code == 200
    assert "Type the organization&#x27;s name." in response.text
