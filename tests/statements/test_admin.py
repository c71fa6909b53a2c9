import datetime
import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from organizations.models import Organization
from statements.models import Signature, Statement
from tests.factories import (
    make_full_statement,
    make_open_statement,
    make_signatures,
    make_statement,
    submitted,
)
from tests.support import form_fields

pytestmark = pytest.mark.django_db


def admin_url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def split(name: str, moment: datetime.datetime) -> dict:
    """A moment as the admin's date and time boxes post it."""
    return {f"{name}_0": f"{moment:%Y-%m-%d}", f"{name}_1": f"{moment:%H:%M}"}


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
        "signers": "organizations",
    }
    for prefix in [
        "issuers",
        "signatories",
        "signatory_groups",
        "demands",
        "quotes",
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


def test_the_preview_carries_the_next_actions(staff_client):
    statement = make_statement()
    html = staff_client.get(admin_url("preview", statement)).content.decode()
    for name, label in [
        ("signoff_request", "Request sign-off…"),
        ("publish", "Publish…"),
        ("change", "Back to editing"),
    ]:
        assert f'href="{admin_url(name, statement)}">{label}</a>' in html


def test_a_scheduled_statements_preview_offers_to_publish_now_or_return_to_draft(staff_client):
    statement = make_statement(
        status=Statement.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    html = staff_client.get(admin_url("preview", statement)).content.decode()
    assert f'href="{admin_url("publish", statement)}">Publish now…</a>' in html
    assert f'href="{admin_url("unschedule", statement)}">Return to draft…</a>' in html
    assert "Request sign-off…" not in html


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
        {"when": "later", **split("publish_at", at)},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED
    assert statement.publish_at == at.replace(second=0, microsecond=0)


def test_publishing_without_a_release_date_dates_it_today(staff_client):
    statement = make_statement(release_date=None)
    response = staff_client.post(admin_url("publish", statement), {"when": "now"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.release_date == timezone.localdate()


def test_scheduling_in_the_past_or_without_a_time_is_refused(staff_client):
    statement = make_statement()
    past = split("publish_at", timezone.localtime() - datetime.timedelta(hours=1))
    for data, message in [
        ({"when": "later", **past}, "Choose a time in the future, or publish now."),
        ({"when": "later", "publish_at_0": "", "publish_at_1": ""}, "Choose when to publish."),
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


def test_staff_name_the_correcting_statement_from_the_published_ones(staff_client):
    statement = make_statement(status=Statement.Status.PUBLISHED, title="Wrong figures")
    correction = make_statement(status=Statement.Status.PUBLISHED, title="Right figures")
    draft = make_statement(title="Unpublished correction")
    form = staff_client.get(admin_url("retract", statement)).content.decode()
    assert f'<option value="{correction.pk}">Right figures (26 Jun 2024)</option>' in form
    assert "Unpublished correction" not in form
    assert f'<option value="{statement.pk}">' not in form

    response = staff_client.post(
        admin_url("retract", statement),
        {"note": "The figures were wrong.", "corrected_by": draft.pk},
    )
    assert "Choose a published or archived statement from the list." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED

    staff_client.post(
        admin_url("retract", statement),
        {"note": "The figures were wrong.", "corrected_by": correction.pk},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED
    assert statement.corrected_by == correction


def test_archiving_a_draft_shows_why_it_cannot(staff_client):
    statement = make_statement()
    response = staff_client.post(admin_url("archive", statement))
    assert "Only a published statement can be archived." in response.content.decode()


def test_the_bulk_publish_action_reports_what_it_could_not_do(staff_client):
    ready = make_statement()
    out = make_statement(status=Statement.Status.PUBLISHED, title="Out already")
    response = staff_client.post(
        reverse("admin:statements_statement_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, out.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 statement published." in html
    assert "“Out already”: This statement is already published." in html
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


def change_url(statement: Statement, query: str = "") -> str:
    return reverse("admin:statements_statement_change", args=[statement.pk]) + query


def submissions(statement: Statement, count: int, state=Signature.State.SUBMITTED):
    """Signatures through the co-sign form, of as many new organizations."""
    prefix = f"{statement.pk}-{state}"
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Submitter {prefix}-{i}", slug=f"submitter-{prefix}-{i}")
        for i in range(count)
    )
    Signature.objects.bulk_create(
        Signature(
            statement=statement,
            organization=o,
            state=state,
            source=Signature.Source.FORM,
            signer_email=f"signer@{o.slug}.example.org",
        )
        for o in organizations
    )


def as_posted(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_hundreds_of_unconfirmed_submissions_do_not_stop_staff_saving_the_statement(staff_client):
    statement = make_open_statement()
    submissions(statement, 200)
    page = staff_client.get(change_url(statement)).content.decode()
    # Its text is read-only once published: what staff still save is the rest.
    data = as_posted(form_fields(page, "statement_form")) | {"dateline": ["GENEVA"]}
    response = staff_client.post(change_url(statement), data | {"_save": ["Save"]})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.dateline == "GENEVA"


def test_a_form_too_large_to_read_gets_a_page_saying_so(staff_client, settings):
    statement = make_statement()
    fields = {f"field-{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = staff_client.post(change_url(statement), fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The form you sent has more fields than the site accepts at once" in html
    assert "nothing was saved" in html


def test_the_statement_lists_its_cosigned_organizations_a_page_at_a_time(staff_client):
    statement = make_open_statement()
    submissions(statement, 61, state=Signature.State.APPROVED)
    signatories = list(statement.signatures.order_by("organization__name"))
    submissions(statement, 7)
    submissions(statement, 2, state=Signature.State.CONFIRMED)
    html = staff_client.get(change_url(statement)).content.decode()
    add = reverse("admin:statements_signature_add") + f"?statement={statement.pk}"
    assert f'href="{add}">Add an organization</a>' in html
    first = reverse("admin:statements_signature_change", args=[signatories[0].pk])
    assert f'<a href="{first}"><bdi>{signatories[0].organization.name}</bdi></a>' in html
    assert html.count('<tr class="listed-signature">') == 50
    assert "Page 1 of 2" in html
    assert '?signatures=2#signatures">Next</a>' in html
    everyone = (
        reverse("admin:statements_signature_changelist") + f"?statement__id__exact={statement.pk}"
    )
    assert f'href="{everyone}&amp;state__exact=submitted">7 awaiting email confirmation' in html
    assert f'href="{everyone}&amp;state__exact=confirmed">2 awaiting approval' in html

    html = staff_client.get(change_url(statement, "?signatures=2")).content.decode()
    assert html.count('<tr class="listed-signature">') == 11
    assert signatories[-1].organization.name in html
    assert "Page 2 of 2" in html


def test_the_form_costs_the_same_queries_however_many_organizations(staff_client):
    few, many = make_open_statement(), make_open_statement()
    make_signatures(few, 2)
    make_signatures(few, 1, role=Signature.Role.ISSUER)
    submissions(few, 2, state=Signature.State.APPROVED)
    make_signatures(many, 80)
    make_signatures(many, 5, role=Signature.Role.ISSUER)
    submissions(many, 60, state=Signature.State.APPROVED)
    with CaptureQueriesContext(connection) as for_few:
        staff_client.get(change_url(few))
    with CaptureQueriesContext(connection) as for_many:
        staff_client.get(change_url(many))
    assert len(for_many) == len(for_few)


def test_a_new_statement_takes_its_organizations_on_the_form(staff_client):
    html = staff_client.get(reverse("admin:statements_statement_add")).content.decode()
    assert 'id="issuers-group"' in html and 'id="signatories-group"' in html
    assert "those who sign through the co-sign form are listed here" in html


class Controls(HTMLParser):
    """The form controls a person fills in, the ids on the page, and what names and
    describes the controls."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.labelled: set[str] = set()
        self.controls: list[dict] = []
        self.described: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "aria-describedby" in attrs:
            self.described.extend(attrs["aria-describedby"].split())
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        kind = attrs.get("type", "text")
        if tag in ("select", "textarea") or (
            tag == "input" and kind not in ("hidden", "submit", "button")
        ):
            self.controls.append(attrs)

    def unnamed(self) -> list[str]:
        return [
            control.get("name") or control.get("id")
            for control in self.controls
            if control.get("id") not in self.labelled and not control.get("aria-label")
        ]


def test_every_box_of_the_statement_form_has_a_name_and_real_descriptions(staff_client):
    statement = make_full_statement(cosign_open=True)
    statement.hero_image.save("hero.png", SimpleUploadedFile("hero.png", png_bytes()))
    page = Controls(staff_client.get(admin_url("change", statement)).content.decode())

    # The tabular inlines' boxes (position, a list to choose from, text, delete), the
    # image's file box and the embed code among them.
    names = {control.get("name") or control.get("id") for control in page.controls}
    assert {
        "press_contacts-0-contact",
        "press_contacts-0-name",
        "issuers-0-name",
        "press_contacts-0-DELETE",
        "related_links-0-title",
        "related_links-0-url",
        "hero_image",
        "embed-code",
    } <= names
    assert page.unnamed() == []
    # The release date and co-signing closing time are described by their help text.
    assert {"id_release_date_helptext", "id_cosign_closes_at_helptext"} <= set(page.described)
    assert [ref for ref in page.described if ref not in page.ids] == []


def test_a_submission_waiting_for_its_organization_leaves_the_statement_page_working(
    staff_client,
):
    statement = make_statement(cosign_open=True)
    submitted(statement, organization_name="Not Yet Made")
    response = staff_client.get(admin_url("change", statement))
    assert response.status_code == 200
    assert "Not Yet Made" not in response.content.decode()
