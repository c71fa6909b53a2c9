import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from statements.models import Statement
from tests.factories import make_organization, make_statement, submitted

pytestmark = pytest.mark.django_db


def admin_url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def png_bytes(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def add_form(**overrides) -> dict:
    """The statement add form as the browser posts it, with empty inlines."""
    data = {
        "kind": "joint_statement",
        "title": "A new statement",
        "slug": "a-new-statement",
        "language": "en",
        "body": "Text",
        "signatory_order": "alphabetical",
    }
    for prefix in [
        "demands",
        "quotes",
        "signatures",
        "press_contacts",
        "related_links",
        "calls_to_action",
    ]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | overrides


@pytest.mark.parametrize("name", ["preview", "publish", "archive", "retract", "unschedule"])
def test_outsiders_are_sent_to_the_login_page(client, name):
    statement = make_statement()
    response = client.get(admin_url(name, statement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_non_staff_user_cannot_preview(client, outsider):
    response = client.get(admin_url("preview", make_statement()))
    assert response.status_code == 302


def test_staff_preview_a_draft_as_the_public_page_with_a_banner(staff_client):
    statement = make_statement(title="Draft headline", release_date=None)
    response = staff_client.get(admin_url("preview", statement))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft headline" in html
    assert "Only staff can see this page" in html
    assert 'name="robots" content="noindex, nofollow"' in html


def test_staff_publish_now(staff_client):
    statement = make_statement()
    response = staff_client.post(admin_url("publish", statement), {"when": "now"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED


def test_staff_schedule_for_later(staff_client):
    statement = make_statement()
    at = timezone.localtime() + datetime.timedelta(days=1)
    response = staff_client.post(
        admin_url("publish", statement),
        {"when": "later", "publish_at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED
    assert statement.publish_at == at.replace(second=0, microsecond=0)


def test_publishing_without_a_release_date_is_refused_with_a_message(staff_client):
    statement = make_statement(release_date=None)
    response = staff_client.post(admin_url("publish", statement), {"when": "now"})
    assert response.status_code == 200
    assert "Set a release date on the statement before publishing it." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_scheduling_in_the_past_or_without_a_time_is_refused(staff_client):
    statement = make_statement()
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for data, message in [
        ({"when": "later", "publish_at": past}, "Choose a time in the future, or publish now."),
        ({"when": "later", "publish_at": ""}, "Choose when to publish."),
    ]:
        response = staff_client.post(admin_url("publish", statement), data)
        assert message in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_retracting_needs_a_note(staff_client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    response = staff_client.post(admin_url("retract", statement), {"note": ""})
    assert "This field is required." in response.content.decode()
    staff_client.post(admin_url("retract", statement), {"note": "Superseded by a corrected text."})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED


def test_archiving_a_draft_shows_why_it_cannot(staff_client):
    statement = make_statement()
    response = staff_client.post(admin_url("archive", statement))
    assert "Only a published statement can be archived." in response.content.decode()


def test_the_bulk_publish_action_reports_what_it_could_not_do(staff_client):
    ready = make_statement()
    undated = make_statement(release_date=None, title="Undated")
    response = staff_client.post(
        reverse("admin:statements_statement_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, undated.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 statement(s) published." in html
    assert "“Undated”: Set a release date" in html
    ready.refresh_from_db()
    assert ready.status == Statement.Status.PUBLISHED


def test_the_add_form_refuses_a_slug_already_used(staff_client):
    make_statement(slug="taken")
    response = staff_client.post(reverse("admin:statements_statement_add"), add_form(slug="taken"))
    assert response.status_code == 200
    assert "Statement with this Slug already exists." in response.content.decode()


def test_the_add_form_accepts_an_image_and_stores_the_statement(staff_client):
    image = SimpleUploadedFile("hero.png", png_bytes(), content_type="image/png")
    response = staff_client.post(
        reverse("admin:statements_statement_add"), add_form(hero_image=image)
    )
    assert response.status_code == 302
    assert Statement.objects.get(slug="a-new-statement").hero_image.name.startswith(
        "statements/hero"
    )


def test_the_add_form_refuses_a_file_that_is_not_an_image(staff_client):
    fake = SimpleUploadedFile("hero.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = staff_client.post(
        reverse("admin:statements_statement_add"), add_form(hero_image=fake)
    )
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert not Statement.objects.filter(slug="a-new-statement").exists()


def test_the_add_form_refuses_an_image_over_5_mb(staff_client):
    padded = png_bytes() + b"\0" * (5 * 1024 * 1024)
    big = SimpleUploadedFile("big.png", padded, content_type="image/png")
    response = staff_client.post(
        reverse("admin:statements_statement_add"), add_form(hero_image=big)
    )
    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()


def change_form(statement: Statement, **overrides) -> dict:
    return (
        add_form(
            kind=statement.kind,
            title=statement.title,
            slug=statement.slug,
            release_date=statement.release_date.isoformat() if statement.release_date else "",
        )
        | overrides
    )


def test_a_published_statement_keeps_its_release_date(staff_client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = staff_client.post(url, change_form(statement, release_date=""))
    assert response.status_code == 200
    assert "A published statement needs its release date." in response.content.decode()
    statement.refresh_from_db()
    assert statement.release_date is not None


def test_the_same_organization_twice_is_a_form_error(staff_client):
    organization = make_organization()
    data = add_form(
        **{
            "signatures-TOTAL_FORMS": "2",
            "signatures-0-organization": organization.pk,
            "signatures-0-role": "issuer",
            "signatures-0-position": "0",
            "signatures-1-organization": organization.pk,
            "signatures-1-role": "signatory",
            "signatures-1-position": "1",
        }
    )
    response = staff_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for organization" in response.content.decode()
    assert not Statement.objects.filter(slug="a-new-statement").exists()


def test_a_submission_waiting_for_its_organization_leaves_the_statement_form_editable(
    staff_client,
):
    statement = make_statement(cosign_open=True)
    submitted(statement, organization_name="Not Yet Made")
    html = staff_client.get(admin_url("change", statement)).content.decode()
    assert 'name="signatures-INITIAL_FORMS" value="0"' in html
    assert "Not Yet Made" not in html
