"""Individual signatories imported from CSV in the admin, with a preview first."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from statements.models import Signature, SignatureEvent
from statements.resources import COLUMNS
from statements.services import signatories
from tests.factories import make_individuals, make_statement

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:statements_signature_import")
CONFIRM_URL = reverse("admin:statements_signature_process_import")


def line(**values) -> list[str]:
    return [values.get(column, "") for column in COLUMNS]


def csv_bytes(*lines, header=COLUMNS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    return out.getvalue().encode(encoding)


def preview(client, statement, content: bytes, consent=True):
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    data = {"resource": "0", "format": "0", "import_file": upload, "statement": statement.pk}
    if consent:
        data["consent"] = "on"
    return client.post(IMPORT_URL, data)


def confirm(client, preview_response):
    return client.post(CONFIRM_URL, preview_response.context["confirm_form"].initial)


def rows_in(response, kind: str) -> list[str]:
    groups = {group_kind: rows for _, group_kind, rows in response.context["row_groups"]}
    return [row.instance.signer_name for row in groups[kind]]


def reasons(response) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in response.context["result"].invalid_rows}


def mixed_file() -> bytes:
    return csv_bytes(
        line(name="Amaka Okafor", title="Professor of Law", affiliation="University of Lagos",
             country="Nigeria", email="amaka@example.org"),
        line(name="Ludwig van Beethoven", title="Composer", country="AT",
             sort_as="Beethoven, Ludwig van"),
        line(name="", title="Nameless", email="nobody@example.org"),
        line(name="Bad Address", email="not-an-address"),
        line(name="Far Away", country="Atlantis"),
        line(name="Amaka Again", email="AMAKA@example.org"),
    )  # fmt: skip


def test_the_preview_shows_the_rows_and_their_errors_and_stores_nothing(staff_client):
    statement = make_statement()

    response = preview(staff_client, statement, mixed_file())

    assert response.status_code == 200
    assert rows_in(response, "new") == ["Amaka Okafor", "Ludwig van Beethoven"]
    assert reasons(response) == {
        3: {"name": ["Give the person's name."]},
        4: {"email": ["“not-an-address” is not a valid email address."]},
        5: {"country": ["“Atlantis” is not a country we know."]},
        6: {"email": ["This address is already on row 1 of the file."]},
    }
    html = response.text
    assert "2 to be listed, 0 already on the statement, 4 invalid." in html
    assert "country: “Atlantis” is not a country we know." in html
    assert "Confirm import" in html
    assert not Signature.objects.exists()
    assert not SignatureEvent.objects.exists()


def test_confirming_lists_exactly_the_valid_rows_at_once(staff_client, staff):
    statement = make_statement()

    response = confirm(staff_client, preview(staff_client, statement, mixed_file()))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:statements_signature_changelist")
        + f"?statement__id__exact={statement.pk}&kind__exact=individual"
    )
    assert [str(m) for m in response.wsgi_request._messages] == [
        "2 individuals listed. 4 invalid rows were left out."
    ]
    amaka, ludwig = statement.signatures.order_by("signer_name")
    assert (
        amaka.kind, amaka.state, amaka.source, amaka.signer_title, amaka.affiliation,
        amaka.signer_country.code, amaka.person_key, amaka.sort_key, amaka.consent_publish,
    ) == (
        "individual", "approved", "staff", "Professor of Law", "University of Lagos", "NG",
        "amaka@example.org", "Okafor Amaka", True,
    )  # fmt: skip
    assert amaka.consent_text == (
        "These people agreed to have their names published on the statement."
    )
    assert (ludwig.signer_country.code, ludwig.signer_email, ludwig.sort_key) == (
        "AT", "", "Beethoven, Ludwig van",
    )  # fmt: skip
    assert [e.actor for e in SignatureEvent.objects.filter(kind="added")] == [staff, staff]


def test_someone_already_on_the_statement_is_shown_apart_and_not_added_again(staff_client):
    statement = make_statement()
    make_individuals(statement, 1, signer_email="rana@example.org", person_key="rana@example.org")
    content = csv_bytes(
        line(name="Rana Haddad", email="Rana@Example.org"),
        line(name="Sami Nasser", email="sami@example.org"),
        line(name="Sami N.", email="sami@example.org"),
    )

    response = preview(staff_client, statement, content)

    assert rows_in(response, "new") == ["Sami Nasser"]
    assert rows_in(response, "skip") == ["Rana Haddad"]
    assert reasons(response) == {3: {"email": ["This address is already on row 2 of the file."]}}
    assert "Already on the statement, not added again (1)" in response.text

    response = confirm(staff_client, response)

    assert [str(m) for m in response.wsgi_request._messages] == [
        "1 individual listed. 1 was already on the statement. 1 invalid row was left out."
    ]
    assert sorted(statement.signatures.values_list("person_key", flat=True)) == [
        "rana@example.org",
        "sami@example.org",
    ]


def test_a_file_of_people_already_listed_offers_nothing_to_confirm(staff_client):
    statement = make_statement()
    make_individuals(statement, 1, signer_email="rana@example.org", person_key="rana@example.org")
    response = preview(
        staff_client, statement, csv_bytes(line(name="Rana", email="rana@example.org"))
    )
    assert "confirm_form" not in response.context
    assert statement.signatures.count() == 1


def test_nothing_is_read_without_the_word_that_they_agreed(staff_client):
    statement = make_statement()
    response = preview(staff_client, statement, mixed_file(), consent=False)
    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == [
        "Import only people who agreed to have their names published."
    ]
    assert "result" not in response.context
    assert not Signature.objects.exists()


def test_arabic_names_in_a_spreadsheets_utf8_file_with_a_byte_order_mark(staff_client):
    statement = make_statement(language="ar")
    content = csv_bytes(
        line(name="رنا حداد", title="باحثة", affiliation="جامعة دمشق", country="سوريا",
             email="rana@example.org"),
        line(name="Zoë Ångström", country="SWE"),
        header=[column.upper() for column in COLUMNS],
        encoding="utf-8-sig",
    )  # fmt: skip
    assert content.startswith(b"\xef\xbb\xbf")

    response = preview(staff_client, statement, content)
    assert reasons(response) == {}
    assert rows_in(response, "new") == ["رنا حداد", "Zoë Ångström"]
    assert "جامعة دمشق" in response.text
    confirm(staff_client, response)

    rana = statement.signatures.get(person_key="rana@example.org")
    assert (rana.signer_name, rana.signer_title, rana.affiliation, rana.signer_country.code) == (
        "رنا حداد", "باحثة", "جامعة دمشق", "SY",
    )  # fmt: skip
    assert statement.signatures.get(signer_name="Zoë Ångström").signer_country.code == "SE"


def test_the_import_says_what_is_wrong_in_arabic(staff_client):
    statement = make_statement()
    staff_client.post(reverse("set_language"), {"language": "ar", "next": IMPORT_URL})
    content = csv_bytes(line(name="", email="x@example.org"), line(name="A B", country="Atlantis"))
    html = preview(staff_client, statement, content).text
    assert '<html lang="ar" dir="rtl">' in html
    assert "اكتب اسم الشخص." in html
    assert "ليس بلدًا نعرفه" in html


def test_the_statement_is_offered_and_chosen_from_its_page(staff_client):
    statement = make_statement()
    response = staff_client.get(f"{IMPORT_URL}?statement={statement.pk}")
    assert response.status_code == 200
    assert response.context["form"]["statement"].value() == str(statement.pk)
    assert "These people agreed to have their names published on the statement." in response.text


def test_the_editor_and_the_moderator_may_import_and_the_press_officer_may_not(
    client, editor, moderator, press_officer
):
    for user, allowed in [(editor, True), (moderator, True), (press_officer, False)]:
        client.force_login(user)
        assert (client.get(IMPORT_URL).status_code == 200) is allowed, user


def test_staff_who_may_only_view_signatures_cannot_import_them(client, viewer):
    statement = make_statement()
    assert client.get(IMPORT_URL).status_code == 403
    upload = SimpleUploadedFile("people.csv", mixed_file(), content_type="text/csv")
    response = client.post(
        IMPORT_URL,
        {"resource": "0", "format": "0", "import_file": upload, "statement": statement.pk,
         "consent": "on"},
    )  # fmt: skip
    assert response.status_code == 403
    assert client.post(CONFIRM_URL, {}).status_code == 403
    assert not Signature.objects.exists()


@pytest.mark.parametrize(("method", "url"), [("get", IMPORT_URL), ("post", CONFIRM_URL)])
def test_outsiders_are_sent_to_the_login_page(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_service_refuses_whoever_may_not_import(press_officer):
    statement = make_statement()
    for by in (press_officer, None):
        with pytest.raises(PermissionDenied, match="You may not import individual signatories"):
            signatories.individual_import(
                signature=Signature(statement=statement, signer_name="A B", consent_publish=True),
                by=by,
            )
    assert not statement.signatures.exists()


def test_an_address_with_an_invisible_character_is_refused(staff_client):
    statement = make_statement()
    content = csv_bytes(line(name="Rana Haddad", email="rana\u200b@example.org"))
    assert reasons(preview(staff_client, statement, content)) == {
        1: {"email": ["“rana\u200b@example.org” is not a valid email address."]}
    }
