import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Organization
from statements import forms_importing
from statements.models import Statement
from tests.factories import make_organization
from tests.statements.test_import_service import counts, parsed_release
from tests.statements.test_importing import docx_bytes

pytestmark = pytest.mark.django_db
URL = reverse("admin:statements_statement_import")
PASTE = "URGENT JOINT STATEMENT: Stop the shelling of Idlib's markets\n\nWASHINGTON, DC— ..."


@pytest.fixture
def parser(monkeypatch):
    """The parser the page calls, answering what the test sets (a dict or an error)."""
    answer = {"result": parsed_release(warnings=["The year was inferred: 2023."])}
    seen = []

    def release_parse(*, text=None, upload=None):
        seen.append((text, upload))
        if isinstance(answer["result"], Exception):
            raise answer["result"]
        return answer["result"]

    monkeypatch.setattr(forms_importing, "release_parse", release_parse)
    answer["seen"] = seen
    return answer


def check_page_data(html: str) -> dict:
    """What the check page's form posts when staff change nothing, as a browser would."""
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrfmiddlewaretoken" or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name[1]] = value[1] if value else ""
    for name, text in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S
    ):
        data[name] = text
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected[1] if selected else ""
    return {
        k: v.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        for k, v in data.items()
    }


def test_the_statements_list_links_to_the_page(staff_client):
    page = staff_client.get(reverse("admin:statements_statement_changelist"))

    assert f'href="{URL}"' in page.text


def test_it_shows_the_form_with_its_file_box(staff_client):
    page = staff_client.get(URL)

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="text"' in page.text and 'name="upload"' in page.text


def test_check_shows_each_part_beside_its_source_and_the_warnings(staff_client, parser):
    known = make_organization(name="Syrian Emergency Task Force", short_name="SETF")
    before = counts()

    page = staff_client.post(URL, {"text": PASTE})

    assert page.status_code == 200
    assert parser["seen"] == [(PASTE, None)]
    assert "Stop the shelling of Idlib&#x27;s markets" in page.text
    # The headline's source: the line it was found on, kind and all.
    assert "URGENT JOINT STATEMENT: Stop the shelling" in page.text
    assert '<li class="warning">The year was inferred: 2023.</li>' in page.text
    assert f'<option value="{known.pk}" selected>' in page.text
    assert "Not known yet: a new organization is made" in page.text
    assert counts() == before


def test_confirm_creates_the_draft_and_opens_it(staff_client, parser):
    known = make_organization(name="Syrian Emergency Task Force", short_name="SETF")
    data = check_page_data(staff_client.post(URL, {"text": PASTE}).text)
    # Staff rename a new organization and merge another into a known one.
    data["signatories-0-name"] = "Global Justice Network"
    data["issuers-0-organization"] = str(known.pk)

    response = staff_client.post(URL, data, follow=True)

    statement = Statement.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:statements_statement_change", args=[statement.pk]), 302)
    ]
    assert "is a draft made from the release" in response.text
    assert statement.demands.count() == 2
    assert statement.closing == "We stand with the people of Idlib."
    assert [s.organization for s in statement.signatures.order_by("role", "position")] == [
        known,
        Organization.objects.get(name="Global Justice Network"),
    ]
    assert statement.press_contacts.get().contact.title == "Operations Manager"


def test_corrections_that_break_a_rule_show_the_page_again_with_nothing_written(
    staff_client, parser
):
    data = check_page_data(staff_client.post(URL, {"text": PASTE}).text)
    data["headline"] = ""
    before = counts()

    page = staff_client.post(URL, data)

    assert page.status_code == 400
    assert "This field is required." in page.text
    assert counts() == before


def test_a_changed_payload_is_refused(staff_client, parser):
    data = check_page_data(staff_client.post(URL, {"text": PASTE}).text)
    data["payload"] = data["payload"][:-3] + "abc"

    page = staff_client.post(URL, data)

    assert page.status_code == 400
    assert "This check page was changed or is too old" in page.text
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "   \n"}, "Paste the release or choose a file."),
        ({"text": "a" * (5 * 1024 * 1024)}, "The release is 5 MB or more"),
        (
            {"upload": SimpleUploadedFile("release.pdf", b"%PDF-1.4")},
            "Jointly reads .docx, .odt, .txt, .md and .html files, not “release.pdf”.",
        ),
    ],
    ids=["empty", "5 MB", "unknown type"],
)
def test_bad_input_gets_a_clear_message_and_nothing_written(staff_client, parser, data, message):
    before = counts()

    page = staff_client.post(URL, data)

    assert page.status_code == 400
    assert message in page.text
    assert parser["seen"] == []
    assert counts() == before


@pytest.mark.parametrize(
    "error",
    [
        "This file is not a Word document, whatever its name says.",
        "The .docx file is damaged: it cannot be read.",
    ],
)
def test_what_the_parser_refuses_is_shown_on_the_page(staff_client, parser, error):
    parser["result"] = ValidationError(error)
    before = counts()

    page = staff_client.post(URL, {"upload": SimpleUploadedFile("release.docx", b"PK\x03\x04")})

    assert page.status_code == 400
    assert error.replace("'", "&#x27;") in page.text
    assert counts() == before


def test_a_release_without_a_headline_is_refused(staff_client, parser):
    parser["result"] = parsed_release(headline="")

    page = staff_client.post(URL, {"text": "just some words"})

    assert page.status_code == 400
    assert "No headline was recognised" in page.text


def test_staff_without_the_add_permission_get_403(client, parser):
    user = User.objects.create_user("looker", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_statement", "change_statement"])
    )
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": PASTE}).status_code == 403
    assert (
        client.post(URL, {"payload": "x", "headline": "x", "kind": "joint_statement"}).status_code
        == 403
    )
    assert Statement.objects.count() == 0


def test_the_check_page_costs_a_few_queries(staff_client, parser, django_assert_max_num_queries):
    parser["result"] = parsed_release(
        signatories=[{"name": f"Group {n}", "short_name": ""} for n in range(20)]
    )

    with django_assert_max_num_queries(70):
        page = staff_client.post(URL, {"text": PASTE})

    assert page.status_code == 200


def test_an_uploaded_document_s_parts_show_what_they_were_made_from(staff_client):
    document = docx_bytes(
        [
            ("Title", "Stop the shelling of Idlib's markets"),
            (None, "BEIRUT – Seven organizations condemn the shelling of markets in Idlib."),
        ]
    )
    page = staff_client.post(URL, {"upload": SimpleUploadedFile("release.docx", document)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Made from:" in html
    assert "Seven organizations condemn the shelling" in html.split("Made from:", 2)[2]


def test_a_warning_stands_beside_the_part_it_is_about(staff_client):
    release = (
        "JOINT STATEMENT: Shelling of the market\n\n"
        "BEIRUT – On Sunday, June 25, shells fell on the market of the old town.\n"
    )
    html = staff_client.post(URL, {"text": release}).content.decode()
    date_row = html[html.index('id="id_release_date"') - 1500 : html.index('id="id_release_date"')]
    assert "is not given: " in date_row
    general = html[: html.index("<form")]
    assert "is not given: " not in general
