import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from organizations.models import Contact
from statements.models import SignoffEvent, SignoffRequest, Statement, Version
from statements.services import lifecycle, signoff
from tests.factories import make_contact, make_signed_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db


def url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def deadline(moment=None) -> dict:
    """The deadline as the admin's date and time boxes post it, by default in three days."""
    moment = moment or timezone.localtime() + datetime.timedelta(days=3)
    return {"deadline_0": f"{moment:%Y-%m-%d}", "deadline_1": f"{moment:%H:%M}"}


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
                **deadline(),
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
    past = deadline(timezone.localtime() - datetime.timedelta(hours=1))
    html = staff_client.post(url("signoff_request", statement), past).content.decode()
    assert "Choose at least one contact." in html
    html = staff_client.post(
        url("signoff_request", statement),
        {**deadline(), "new_contact_name": "Half a contact"},
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
    assert (
        "The current text is not approved by: <bdi>Alpha Aid</bdi>, <bdi>Beta Rights</bdi>, "
        "<bdi>Gamma Union</bdi>." in html
    )


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


def ask(statement, contacts, by, captured):
    with captured(execute=True):
        return signoff.signoff_requests_send(
            statement=statement,
            contacts=contacts,
            deadline=timezone.now() + datetime.timedelta(days=2),
            by=by,
        )


def test_the_sign_off_page_shows_every_contact_asked_and_who_answered(
    staff_client, staff, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    colleague = make_contact(
        organization=alpha.organization, name="Rima Aziz", email="rima@example.org"
    )
    ask(statement, [alpha, colleague], staff, django_capture_on_commit_callbacks)
    [link] = [m for m in mail.outbox if m.to == ["rima@example.org"]]
    token = link_in_mail("/signoff/", link).rstrip("/").rsplit("/", 1)[1]
    signoff.signoff_answer(token=token, decision="approved")

    html = staff_client.get(url("signoff", statement)).content.decode()
    row = html[html.index('<th scope="row"><bdi>Alpha Aid</bdi></th>') :]
    row = row[: row.index("</tr>")]
    assert f"<bdi>{alpha.name}</bdi> <bdi>&lt;alpha@example.org&gt;</bdi>, " in row
    assert "<bdi>Rima Aziz</bdi> <bdi>&lt;rima@example.org&gt;</bdi>, " in row
    assert row.count("— answered") == 1
    assert row.index("Rima Aziz") < row.index("— answered")
    assert "Approved by <bdi>Rima Aziz</bdi>" in row
    timeline = html[html.index('class="signoff-timeline"') :]
    requested = [r for r in timeline.split("<tr>") if "Sign-off requested" in r]
    assert len(requested) == 2
    assert all("<td>editor</td>" in r for r in requested)
    rima = "<bdi>Rima Aziz</bdi> <bdi>&lt;rima@example.org&gt;</bdi> (<bdi>Alpha Aid</bdi>)"
    assert any(rima in r for r in requested)
    alpha_asked = (
        f"<bdi>{alpha.name}</bdi> <bdi>&lt;alpha@example.org&gt;</bdi> (<bdi>Alpha Aid</bdi>)"
    )
    assert any(alpha_asked in r for r in requested)


@pytest.mark.parametrize("contacts_each", [1, 4])
def test_the_sign_off_page_costs_the_same_queries_however_many_contacts_were_asked(
    staff_client, staff, django_capture_on_commit_callbacks, django_assert_num_queries,
    contacts_each,
):  # fmt: skip
    statement, contacts = make_signed_statement()
    for contact in list(contacts):
        contacts += [
            make_contact(organization=contact.organization) for _ in range(contacts_each - 1)
        ]
    ask(statement, contacts, staff, django_capture_on_commit_callbacks)
    # session, user, statement; the text (4: demands, quotes, translations, signatories),
    # answers, requests and signatories for the progress; the text (4), answers and
    # signatories for what is missing; versions; timeline; the session saved with its
    # new expiry, in a savepoint (3)
    with django_assert_num_queries(21):
        response = staff_client.get(url("signoff", statement))
    assert response.content.decode().count("(version 1, by ") == 3 * contacts_each


def test_a_held_publication_shows_on_the_statement_s_admin_page_until_scheduled_again(
    staff_client, staff
):
    statement, _ = make_signed_statement(names=())
    lifecycle.statement_schedule(
        statement=statement, publish_at=timezone.now() + datetime.timedelta(hours=1), by=staff
    )
    statement.body = "Changed after scheduling."
    statement.save()
    lifecycle.statements_publish_due(now=timezone.now() + datetime.timedelta(hours=2))
    held = SignoffEvent.objects.get(kind=SignoffEvent.Kind.HELD)

    change_page = reverse("admin:statements_statement_change", args=[statement.pk])
    html = staff_client.get(change_page).content.decode()
    when = date_format(timezone.localtime(held.at), "j M Y H:i")
    assert (
        f"Draft — <strong>its scheduled publication was held back</strong> on {when}. "
        f'{held.note} <a href="{url("signoff", statement)}">See sign-off</a>.'
    ) in html
    statement.refresh_from_db()
    lifecycle.statement_schedule(
        statement=statement, publish_at=timezone.now() + datetime.timedelta(hours=1), by=staff
    )
    assert "held back" not in staff_client.get(change_page).content.decode()


def test_the_publish_page_says_the_reason_given_when_scheduling_stands(staff_client, staff):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    lifecycle.statement_schedule(
        statement=statement,
        publish_at=timezone.now() + datetime.timedelta(hours=1),
        by=staff,
        override_reason="Alpha agreed by phone.",
    )
    html = staff_client.get(url("publish", statement)).content.decode()
    assert (
        "The reason given when it was scheduled stands for this text; you need not give it "
        "again: “Alpha agreed by phone.”"
    ) in html
    staff_client.post(url("publish", statement), {"when": "now"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
