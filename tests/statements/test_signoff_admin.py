import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizations.models import Contact
from statements.models import SignoffEvent, SignoffRequest, Statement, Version
from statements.services import signoff
from tests.factories import make_signed_statement

pytestmark = pytest.mark.django_db


def url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def deadline() -> str:
    return (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("name", ["signoff", "signoff_request", "compare"])
def test_outsiders_are_sent_to_log_in(client, name):
    statement, _ = make_signed_statement()
    response = client.get(url(name, statement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_request_sign_off_and_add_a_contact_on_the_spot(
    staff_client, django_capture_on_commit_callbacks
):
    statement, (alpha, beta, _) = make_signed_statement()
    form = staff_client.get(url("signoff_request", statement)).content.decode()
    assert alpha.email in form and beta.email in form
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url("signoff_request", statement),
            {
                "contacts": [alpha.pk],
                "deadline": deadline(),
                "note": "Please answer by Friday.",
                "new_contact_organization": beta.organization_id,
                "new_contact_name": "Rima Aziz",
                "new_contact_title": "Director",
                "new_contact_email": "rima@beta.example.org",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == url("signoff", statement)
    rima = Contact.objects.get(email="rima@beta.example.org")
    assert rima.organization == beta.organization
    assert sorted(r.contact.email for r in SignoffRequest.objects.all()) == [
        alpha.email,
        "rima@beta.example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [alpha.email, "rima@beta.example.org"]
    assert all("Please answer by Friday." in m.body for m in mail.outbox)


def test_the_request_form_says_what_is_wrong(staff_client):
    statement, _ = make_signed_statement()
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    html = staff_client.post(url("signoff_request", statement), {"deadline": past}).content.decode()
    assert "Choose at least one contact." in html
    html = staff_client.post(
        url("signoff_request", statement),
        {"deadline": deadline(), "new_contact_name": "Half a contact"},
    ).content.decode()
    assert "give the organization, a name and an email address" in html
    assert not SignoffRequest.objects.exists()


def test_the_sign_off_page_shows_progress_versions_and_the_timeline(
    staff_client, staff, django_capture_on_commit_callbacks
):
    statement, (alpha, beta, _) = make_signed_statement()
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=[alpha, beta],
            deadline=timezone.now() + datetime.timedelta(days=2),
            by=staff,
        )
    html = staff_client.get(url("signoff", statement)).content.decode()
    assert "Waiting (version 1)" in html
    assert "Not asked" in html
    assert "Sign-off requested" in html
    assert "Version 1" in html
    assert "The current text is not approved by: Alpha Aid, Beta Rights, Gamma Union." in html


def test_two_versions_compared_word_by_word(staff_client):
    statement, _ = make_signed_statement()
    signoff.version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    statement.body = "The second text."
    statement.save()
    signoff.version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    response = staff_client.get(url("compare", statement), {"old": 1, "new": 2})
    html = response.content.decode()
    assert "<del>first</del>" in html
    assert "<ins>second</ins>" in html
    assert staff_client.get(url("compare", statement), {"old": 1, "new": 9}).status_code == 400


def test_publishing_in_the_admin_needs_a_recorded_reason_without_every_approval(
    staff_client, staff
):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    response = staff_client.post(url("publish", statement), {"when": "now"})
    html = response.content.decode()
    assert "Not every signatory organization has approved the current text: Alpha Aid" in html
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT

    staff_client.post(
        url("publish", statement), {"when": "now", "override_reason": "Approved by phone."}
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    event = SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert event.actor == staff
    assert event.note.startswith("Approved by phone.")
    assert (
        "Published without every approval"
        in staff_client.get(url("signoff", statement)).content.decode()
    )
