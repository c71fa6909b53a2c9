import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Contact, Organization, PressList
from organizations.resources import COLUMNS
from tests.factories import make_contact, make_organization

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:organizations_contact_import")
CONFIRM_URL = reverse("admin:organizations_contact_process_import")
EXPORT_URL = reverse("admin:organizations_contact_export")


def line(**values) -> list[str]:
    return [values.get(column, "") for column in COLUMNS]


def csv_bytes(*lines, header=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    return out.getvalue().encode()


def preview(client, content: bytes):
    upload = SimpleUploadedFile("contacts.csv", content, content_type="text/csv")
    return client.post(IMPORT_URL, {"resource": "0", "format": "0", "import_file": upload})


def confirm(client, preview_response):
    return client.post(CONFIRM_URL, preview_response.context["confirm_form"].initial)


def rows_in(response, kind: str) -> list[str]:
    """The contacts the preview lists under one kind of row, as "name, organization"."""
    groups = {group_kind: rows for _, group_kind, rows in response.context["row_groups"]}
    return [row.object_repr for row in groups[kind]]


def reasons(response) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in response.context["result"].invalid_rows}


@pytest.fixture
def desk():
    """An outlet with one journalist on the "Gulf desks" list, and a second list."""
    outlet = make_organization(name="Daily Planet", short_name="", kind=Organization.Kind.MEDIA)
    gulf = PressList.objects.create(name="Gulf desks")
    PressList.objects.create(name="Wire services")
    lois = make_contact(
        organization=outlet, name="Lois Lane", title="Reporter", email="lois@planet.example",
        beat="Middle East", region="Gulf", language="en",
    )  # fmt: skip
    gulf.contacts.add(lois)
    return outlet


def mixed_file() -> bytes:
    """One row of each kind: unchanged, updated, new, invalid."""
    return csv_bytes(
        line(name="Lois Lane", title="Reporter", email="lois@planet.example",
             organization="Daily Planet", beat="Middle East", region="Gulf",
             language="English", lists="Gulf desks"),
        line(name="Clark Kent", email="clark@planet.example", organization="Daily Planet",
             beat="Syria", lists="Gulf desks;Wire services"),
        line(name="Jimmy Olsen", email="jimmy@planet.example", organization="Daily Planet",
             lists="Wire services"),
        line(name="Perry White", email="perry@planet.example", organization="Daily Planet",
             lists="Editors"),
    )  # fmt: skip


def test_the_preview_shows_each_kind_of_row_and_writes_nothing(staff_client, desk):
    make_contact(organization=desk, name="Clark Kent", email="clark@planet.example")

    response = preview(staff_client, mixed_file())

    assert response.status_code == 200
    assert rows_in(response, "skip") == ["Lois Lane, Daily Planet"]
    assert rows_in(response, "update") == ["Clark Kent, Daily Planet"]
    assert rows_in(response, "new") == ["Jimmy Olsen, Daily Planet"]
    assert list(reasons(response)) == [4]
    html = response.content.decode()
    assert "1 new, 1 updated, 1 unchanged, 1 invalid." in html
    assert "Confirm import" in html
    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Clark Kent", "Lois Lane"]
    clark = Contact.objects.get(name="Clark Kent")
    assert clark.beat == ""
    assert not clark.press_lists.exists()


def test_confirming_writes_exactly_the_valid_rows(staff_client, desk):
    make_contact(organization=desk, name="Clark Kent", email="clark@planet.example")

    response = confirm(staff_client, preview(staff_client, mixed_file()))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:organizations_contact_changelist")
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == [
        "Import finished: 1 new, 1 updated, 1 unchanged. 1 invalid row was left out."
    ]
    assert sorted(Contact.objects.values_list("name", flat=True)) == [
        "Clark Kent", "Jimmy Olsen", "Lois Lane",
    ]  # fmt: skip
    clark = Contact.objects.get(email="clark@planet.example")
    assert clark.beat == "Syria"
    assert sorted(clark.press_lists.values_list("name", flat=True)) == [
        "Gulf desks", "Wire services",
    ]  # fmt: skip
    jimmy = Contact.objects.get(email="jimmy@planet.example")
    assert jimmy.organization == desk
    assert list(jimmy.press_lists.values_list("name", flat=True)) == ["Wire services"]
    assert not PressList.objects.filter(name="Editors").exists()


def test_an_unknown_organization_becomes_a_media_outlet_and_lists_are_replaced(staff_client, desk):
    content = csv_bytes(
        line(name="Lois Lane", email="lois@planet.example", organization="Metropolis Post",
             lists="Wire services"),
    )  # fmt: skip

    response = preview(staff_client, content)
    assert "New media outlets: <bdi>Metropolis Post</bdi>." in response.content.decode()
    assert not Organization.objects.filter(name="Metropolis Post").exists()
    confirm(staff_client, response)

    outlet = Organization.objects.get(name="Metropolis Post")
    assert outlet.kind == Organization.Kind.MEDIA
    assert outlet.slug == "metropolis-post"
    lois = Contact.objects.get(email="lois@planet.example")
    assert lois.organization == outlet
    assert list(lois.press_lists.values_list("name", flat=True)) == ["Wire services"]


def test_an_organization_is_matched_by_acronym_or_case(staff_client):
    outlet = make_organization(name="Agence France-Presse", short_name="AFP")
    content = csv_bytes(
        line(name="A", email="a@afp.example", organization="AFP"),
        line(name="B", email="b@afp.example", organization="agence france-presse"),
    )

    confirm(staff_client, preview(staff_client, content))

    assert {c.organization for c in Contact.objects.all()} == {outlet}
    assert Organization.objects.count() == 1


def test_every_invalid_kind_is_reported_with_its_reason_and_not_written(staff_client, desk):
    content = csv_bytes(
        line(name="Valid", email="valid@example.org", organization="Daily Planet"),
        line(name="Bad email", email="not-an-address", organization="New Outlet One"),
        line(name="No email", email="", organization="Daily Planet"),
        line(name="Second valid", email="VALID@example.org", organization="Daily Planet"),
        line(name="Unknown list", email="list@example.org", organization="New Outlet Two",
             lists="Gulf desks;Nobody's list"),
        line(name="", email="noname@example.org", organization="Daily Planet"),
        line(name="No outlet", email="nooutlet@example.org", organization=""),
    )  # fmt: skip

    response = preview(staff_client, content)

    assert reasons(response) == {
        2: {"email": ["“not-an-address” is not a valid email address."]},
        3: {"email": ["Give the contact's email address."]},
        4: {"email": ["This address is already on row 1 of the file."]},
        5: {"lists": ["There is no press list called “Nobody's list”."]},
        6: {"name": ["Give the contact's name, or their title if the name is not known."]},
        7: {"organization": ["Give the organization's name."]},
    }
    html = response.content.decode()
    assert "email: This address is already on row 1 of the file." in html
    assert "lists: There is no press list called “Nobody&#x27;s list”." in html
    assert "1 new, 0 updated, 0 unchanged, 6 invalid." in html

    confirm(staff_client, response)

    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Lois Lane", "Valid"]
    assert not Organization.objects.filter(name__startswith="New Outlet").exists()


def test_a_row_with_several_faults_reports_them_all(staff_client):
    response = preview(staff_client, csv_bytes(line(email="bad", lists="Nope")))

    assert set(reasons(response)[1]) == {"name", "email", "organization", "lists"}


def test_an_address_shared_by_several_contacts_is_invalid(staff_client):
    make_contact(email="shared@example.org")
    make_contact(email="shared@example.org")

    response = preview(
        staff_client, csv_bytes(line(name="X", email="shared@example.org", organization="Y"))
    )

    assert reasons(response) == {
        1: {"email": ["Several contacts have this address: edit them in the admin instead."]}
    }


def test_a_file_of_only_invalid_rows_cannot_be_confirmed(staff_client):
    response = preview(staff_client, csv_bytes(line(name="No email", organization="X")))

    assert "confirm_form" not in response.context
    assert "Some rows failed to validate" in response.content.decode()


def test_a_file_without_an_email_column_is_refused(staff_client):
    response = preview(
        staff_client, csv_bytes(["Someone", "Outlet"], header=["name", "organization"])
    )

    assert "confirm_form" not in response.context
    assert "not present in the file headers: email" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_is_updated_by_email_in_another_case(staff_client, desk):
    jane = make_contact(organization=desk, name="Jane", email="Jane.Doe@Planet.example")
    content = csv_bytes(
        line(name="Jane Doe", email="  JANE.DOE@planet.EXAMPLE ", organization="Daily Planet")
    )

    response = preview(staff_client, content)
    assert len(rows_in(response, "update")) == 1
    confirm(staff_client, response)

    jane.refresh_from_db()
    assert jane.name == "Jane Doe"
    assert jane.email == "jane.doe@planet.example"
    assert Contact.objects.count() == 2


def test_names_in_any_script_are_kept_exactly(staff_client):
    names = ["محمد الأحمد", "Zoë Ångström-Łukasiewicz", "王小明", "Ἀριστοτέλης"]
    content = csv_bytes(
        *(
            line(name=name, email=f"p{i}@example.org", organization=f"{name} — قناة")
            for i, name in enumerate(names)
        )
    )

    confirm(staff_client, preview(staff_client, content))

    for i, name in enumerate(names):
        contact = Contact.objects.get(email=f"p{i}@example.org")
        assert contact.name == name
        assert contact.organization.name == f"{name} — قناة"
    assert Organization.objects.get(name="محمد الأحمد — قناة").slug == "محمد-الأحمد-قناة"


def export(client) -> list[list[str]]:
    response = client.post(EXPORT_URL, {"resource": "0", "format": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_has_the_import_columns(staff_client, desk):
    make_contact(organization=desk, name="صحفية", email="s@planet.example", phone="+44 20 1234")
    PressList.objects.get(name="Wire services").contacts.add(
        Contact.objects.get(email="lois@planet.example")
    )

    header, *lines = export(staff_client)

    assert header == COLUMNS
    assert lines == [
        ["Lois Lane", "Reporter", "lois@planet.example", "", "Daily Planet", "Middle East",
         "Gulf", "English", "Gulf desks;Wire services"],
        ["صحفية", "Press officer", "s@planet.example", "+44 20 1234", "Daily Planet", "", "",
         "", ""],
    ]  # fmt: skip


def test_an_export_imported_again_changes_nothing(staff_client, desk):
    make_contact(organization=desk, name="王小明", email="wang@planet.example", language="ar")
    exported = export(staff_client)
    out = io.StringIO()
    csv.writer(out).writerows(exported)
    before = list(Contact.objects.order_by("pk").values())

    response = preview(staff_client, out.getvalue().encode("utf-8-sig"))
    assert len(rows_in(response, "skip")) == 2
    assert not rows_in(response, "new") and not rows_in(response, "update")
    confirm(staff_client, response)

    assert list(Contact.objects.order_by("pk").values()) == before
    assert export(staff_client) == exported


def test_staff_who_may_only_view_contacts_neither_export_nor_import_them(client, viewer):
    # A list of journalists' addresses leaves only with the export permission.
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, {"resource": "0", "format": "0"}).status_code == 403


@pytest.mark.parametrize(
    ("method", "url"), [("get", IMPORT_URL), ("post", CONFIRM_URL), ("post", EXPORT_URL)]
)
def test_outsiders_are_sent_to_the_login_page(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_import_says_what_is_wrong_in_arabic(staff_client, desk):
    staff_client.post(reverse("set_language"), {"language": "ar", "next": IMPORT_URL})
    content = csv_bytes(
        line(name="", email="not-an-address", organization="Daily Planet"),
        line(name="Rana", email="rana@planet.example", organization="Daily Planet",
             language="Klingon", lists="Nowhere"),
        line(name="Rana again", email="rana@planet.example", organization="Daily Planet"),
        line(name="Lois Lane", email="lois@planet.example", organization="Daily Planet"),
    )  # fmt: skip

    html = preview(staff_client, content).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "اكتب اسم جهة الاتصال، أو صفتها إن لم يكن الاسم معروفًا." in html
    assert "‏”not-an-address“ ليس عنوان بريد إلكتروني صالحًا." in html
    assert "ليست لغة يمكن كتابة الرسائل بها" in html
    assert "لا توجد قائمة صحفية باسم ‏”Nowhere“." in html
    assert "هذا العنوان موجود بالفعل في الصف 2 من الملف." in html
    assert "غير صالحة (3)" in html
    assert "جديدة: 0، محدَّثة: 1، دون تغيير: 0، غير صالحة: 3." in html


def test_a_contact_known_by_title_alone_is_imported(staff_client, desk):
    content = csv_bytes(
        line(title="Operations Manager", email="ops@planet.example", organization="Daily Planet")
    )

    response = confirm(staff_client, preview(staff_client, content))

    assert response.status_code == 302
    contact = Contact.objects.get(email="ops@planet.example")
    assert (contact.name, contact.title) == ("", "Operations Manager")
    assert str(contact) == "Operations Manager, Daily Planet"
