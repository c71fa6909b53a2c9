import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from statements.models import Signature, SignatureEvent
from tests.factories import confirmed, make_open_statement, make_organization, submitted

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:statements_pendingsignature_changelist")


@pytest.mark.parametrize(
    "url",
    [
        QUEUE,
        reverse("admin:statements_signature_changelist"),
        reverse("admin:statements_outgoingemail_changelist"),
    ],
)
def test_outsiders_cannot_see_signatures(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_outsiders_cannot_export_signatories(client):
    statement = make_open_statement()
    url = reverse("admin:statements_statement_signatories_csv", args=[statement.pk])
    assert client.get(url).status_code == 302


def test_the_queue_shows_confirmed_signatures_with_what_staff_need_to_decide(staff_client):
    statement = make_open_statement()
    waiting = confirmed(statement)
    submitted(statement, organization_name="Not confirmed yet", website="https://n.example.org")
    html = staff_client.get(QUEUE).content.decode()
    assert "Rukban Aid Committee" in html
    assert "layla@rukban.example.org" in html
    assert "Not confirmed yet" not in html
    # The email is at the website's domain, and the organization is new.
    assert html.count('alt="True"') == 1
    assert "New organization, made from this signature." in html
    assert waiting.email_matches_domain()


def test_staff_approve_in_bulk_and_signers_are_told(
    staff_client, staff, django_capture_on_commit_callbacks
):
    statement = make_open_statement()
    first = confirmed(statement)
    second = confirmed(statement, organization_name="Second", website="https://s.example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            QUEUE,
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
    assert "2 signatures approved." in response.content.decode()
    assert set(Signature.objects.values_list("state", flat=True)) == {"approved"}
    assert sorted(m.subject for m in mail.outbox) == [f"You are listed: {statement.title}"] * 2
    assert first.events.filter(kind=SignatureEvent.Kind.APPROVED, actor=staff).exists()
    html = staff_client.get(statement.get_absolute_url()).content.decode()
    assert "Signed by 2 organizations" in html


def test_staff_reject_in_bulk(staff_client):
    statement = make_open_statement()
    signature = confirmed(statement)
    response = staff_client.post(
        QUEUE, {"action": "reject_selected", "_selected_action": [signature.pk]}, follow=True
    )
    assert "1 signature rejected." in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == "rejected"


def test_approving_what_is_not_confirmed_says_why(staff_client):
    signature = submitted(make_open_statement())
    response = staff_client.post(
        reverse("admin:statements_signature_changelist"),
        {"action": "approve_selected", "_selected_action": [signature.pk]},
        follow=True,
    )
    assert "Only a confirmed signature can be approved" in response.content.decode()


def test_staff_add_a_signature_received_by_phone(staff_client, staff):
    statement = make_open_statement()
    organization = make_organization(name="Called In")
    response = staff_client.post(
        reverse("admin:statements_signature_add"),
        {
            "statement": statement.pk,
            "organization": organization.pk,
            "role": "signatory",
            "position": "0",
            "signer_name": "Nour",
            "_save": "Save",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    signature = Signature.objects.get(organization=organization)
    assert (signature.state, signature.source) == ("approved", "staff")
    assert signature.events.get().actor == staff
    assert "Called In" in staff_client.get(statement.get_absolute_url()).content.decode()


def test_each_signature_shows_its_history(staff_client):
    signature = confirmed(make_open_statement())
    html = staff_client.get(
        reverse("admin:statements_signature_change", args=[signature.pk])
    ).content.decode()
    assert "Submitted through the form" in html


def test_the_signatories_export_is_a_csv_spreadsheets_cannot_run(staff_client):
    statement = make_open_statement()
    signature = confirmed(statement, organization_name="=HYPERLINK(1)", signer_name="جمعية")
    response = staff_client.get(
        reverse("admin:statements_statement_signatories_csv", args=[statement.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "name",
        "short name",
        "country",
        "role",
        "signer",
        "title",
        "email",
    ]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][4] == "جمعية"
    assert rows[1][6] == signature.signer_email
    assert rows[1][8] == "Awaiting approval"


def test_staff_can_make_a_new_private_link(staff_client):
    statement = make_open_statement()
    old = statement.cosign_key
    staff_client.post(reverse("admin:statements_statement_new_cosign_link", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.cosign_key != old
    assert staff_client.get(reverse("cosign_private", args=[old])).status_code == 404


def signature_form(statement, organization, **fields) -> dict:
    return {
        "statement": statement.pk,
        "organization": organization.pk,
        "role": "issuer",
        "position": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    } | fields


def test_add_an_organization_from_the_statement_and_return_to_it(staff_client):
    statement = make_open_statement()
    add = reverse("admin:statements_signature_add") + f"?statement={statement.pk}"
    html = staff_client.get(add).content.decode()
    assert f'<option value="{statement.pk}" selected>' in html

    first, second = make_organization(), make_organization()
    response = staff_client.post(add, signature_form(statement, first, _addanother="Save"))
    assert response["Location"] == add
    response = staff_client.post(add, signature_form(statement, second, _save="Save"))
    change = reverse("admin:statements_statement_change", args=[statement.pk])
    assert response["Location"] == f"{change}#signatures"
    assert set(statement.signatures.listed().values_list("organization", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_same_organization_twice_on_a_statement_is_a_form_error(staff_client):
    statement = make_open_statement()
    organization = make_organization()
    add = reverse("admin:statements_signature_add")
    staff_client.post(add, signature_form(statement, organization, _save="Save"))
    response = staff_client.post(
        add, signature_form(statement, organization, role="signatory", _save="Save")
    )
    assert response.status_code == 200
    assert "Signature with this Statement and Organization already exists." in (
        response.content.decode()
    )
    assert statement.signatures.count() == 1
