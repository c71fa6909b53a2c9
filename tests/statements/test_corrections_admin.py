import pytest
from django.core import mail
from django.urls import reverse

from statements.models import Demand, Statement, StatementUpdate, Version
from statements.services.signoff import version_freeze
from tests.factories import make_signed_statement, make_statement

pytestmark = pytest.mark.django_db


def url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def published():
    statement, contacts = make_signed_statement(status=Statement.Status.PUBLISHED)
    Demand.objects.create(statement=statement, position=1, heading="Access", text="Open it.")
    statement.published_version = version_freeze(
        statement=statement, reason=Version.Reason.PUBLICATION
    )
    statement.save()
    return statement, contacts


def form_data(statement, **changes) -> dict:
    """The correction form as it comes, with changes."""
    return {
        "title": statement.title,
        "standfirst": statement.standfirst,
        "body": statement.body,
        "demands_heading": "",
        "closing": "",
        "press_contacts_heading": "",
        "demand_1_heading": "Access",
        "demand_1_text": "Open it.",
        "demand_2_heading": "",
        "demand_2_text": "",
        "note": "The body was wrong.",
        "notify_press": "on",
        "gate": "signoff",
        "override_reason": "",
    } | changes


def test_the_text_is_read_only_once_published(staff_client):
    statement, _ = published()
    page = staff_client.get(url("change", statement)).content.decode()
    assert 'name="body"' not in page
    assert 'name="title"' not in page
    assert 'name="demands-0-text"' not in page
    assert "The first text." in page
    assert url("correct", statement) in page


def test_a_draft_text_stays_editable_and_has_nothing_to_correct(staff_client):
    statement = make_statement()
    page = staff_client.get(url("change", statement)).content.decode()
    assert 'name="body"' in page
    assert url("correct", statement) not in page


def test_an_editor_sees_no_button_and_is_refused(client, editor):
    statement, _ = published()
    client.force_login(editor)
    assert url("correct", statement) not in client.get(url("change", statement)).content.decode()
    assert client.get(url("correct", statement)).status_code == 403
    response = client.post(url("correct", statement), form_data(statement, body="Changed."))
    assert response.status_code == 403
    assert not StatementUpdate.objects.exists()


def test_an_outsider_is_sent_to_log_in(outsider, client):
    statement, _ = published()
    response = client.post(url("correct", statement), form_data(statement, body="Changed."))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not StatementUpdate.objects.exists()


def test_the_note_is_required(staff_client):
    statement, _ = published()
    response = staff_client.post(url("correct", statement), form_data(statement, note=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_a_correction_that_changes_nothing_is_refused_with_a_message(staff_client):
    statement, _ = published()
    response = staff_client.post(url("correct", statement), form_data(statement))
    assert response.status_code == 200
    assert "The correction changes nothing" in response.content.decode()


def test_a_publisher_corrects_with_a_reason(client, publisher):
    statement, _ = published()
    client.force_login(publisher)
    page = client.get(url("correct", statement)).content.decode()
    assert 'name="note"' in page and 'name="override_reason"' in page
    assert 'id="id_notify_press" checked' in page
    response = client.post(
        url("correct", statement),
        form_data(
            statement,
            body="The corrected text.",
            demand_2_text="Investigate.",
            gate="override",
            override_reason="Agreed by phone.",
            notify_press="",
        ),
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.body == "The corrected text."
    assert [d.text for d in statement.demands.all()] == ["Open it.", "Investigate."]
    update = StatementUpdate.objects.get()
    assert update.published_at is not None
    assert update.notify_press is False


def test_an_override_needs_its_reason(staff_client):
    statement, _ = published()
    response = staff_client.post(
        url("correct", statement), form_data(statement, body="Changed.", gate="override")
    )
    assert "Give the reason to publish without every approval." in response.content.decode()
    assert not StatementUpdate.objects.exists()


def test_sign_off_from_the_admin_then_publish_with_a_reason(
    staff_client, django_capture_on_commit_callbacks
):
    statement, contacts = published()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("correct", statement), form_data(statement, body="New."))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in contacts)
    update = StatementUpdate.objects.get()
    assert update.published_at is None
    page = staff_client.get(url("correct", statement)).content.decode()
    assert "awaiting sign-off" in page
    assert "The body was wrong." in page
    assert f"Waiting (version {update.version.number})" in page
    response = staff_client.post(url("correct", statement), {"action": "publish"})
    assert "Not every signatory organization has approved the corrected text" in (
        response.content.decode()
    )
    response = staff_client.post(
        url("correct", statement), {"action": "publish", "override_reason": "By phone."}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.published_at is not None
    statement.refresh_from_db()
    assert statement.body == "New."


def test_a_pending_correction_can_be_withdrawn(staff_client, django_capture_on_commit_callbacks):
    statement, _ = published()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("correct", statement), form_data(statement, body="New."))
    response = staff_client.post(url("correct", statement), {"action": "withdraw"})
    assert response.status_code == 302
    assert not StatementUpdate.objects.exists()
    statement.refresh_from_db()
    assert statement.body == "The first text."
