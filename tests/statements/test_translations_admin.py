"""The admin of a release: the translations panel, creating a translation, marking it up
to date, a translation's form and publishing with chosen translations."""

import re

import pytest
from django.urls import reverse

from statements.models import Statement
from statements.services import translations
from tests.factories import make_campaign, make_full_statement, make_organization, make_statement
from tests.support import form_fields

pytestmark = pytest.mark.django_db


def admin_url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def test_staff_create_a_translation_from_the_original_s_page(staff_client, staff):
    original = make_full_statement()
    page = staff_client.get(admin_url("change", original)).content.decode()
    assert "No translations yet." in page
    assert admin_url("translate", original) in page

    form = staff_client.get(admin_url("translate", original)).content.decode()
    assert '<option value="ar">العربية</option>' in form
    assert '<option value="en">' not in form
    response = staff_client.post(admin_url("translate", original), {"language": "ar"})
    translation = original.translations.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url("change", translation)

    # Once made, the language is no longer offered and the panel lists it, up to date.
    assert (
        '<option value="ar">'
        not in staff_client.get(admin_url("translate", original)).content.decode()
    )
    page = staff_client.get(admin_url("change", original)).content.decode()
    assert admin_url("change", translation) in page
    assert "Up to date" in page


def test_the_panel_says_when_the_original_changed_since(staff_client, staff):
    original = make_statement(body="The first text.")
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    original.body = "The second text."
    original.save()
    page = staff_client.get(admin_url("change", original)).content.decode()
    assert "The original changed since" in page
    assert "<ins>second</ins>" in page
    translation_page = staff_client.get(admin_url("change", translation)).content.decode()
    assert (
        "The original changed since this translation was made or last checked." in translation_page
    )

    assert staff_client.get(admin_url("up_to_date", translation)).status_code == 200
    translation.refresh_from_db()
    assert not translation.is_up_to_date()  # a GET changes nothing
    response = staff_client.post(admin_url("up_to_date", translation))
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.is_up_to_date()


def test_a_translation_s_form_leaves_out_what_the_release_shares(staff_client, staff):
    campaign = make_campaign()
    original = make_full_statement(cosign_open=True)
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    html = staff_client.get(admin_url("change", translation)).content.decode()
    fields = dict(form_fields(html, "statement_form"))
    for shared in ["campaign", "cosign_open", "cosign_auto_approve", "signatory_order"]:
        assert shared not in fields, shared
    assert not any(name.startswith("press_contacts-") for name in fields)
    assert "A translation into العربية of" in html
    assert admin_url("change", original) in html
    # Sign-off and the signatures are the release's: the links lead to the original's.
    assert admin_url("signoff", original) in html
    # The original is public: the translation can follow on its own.
    assert admin_url("publish", translation) in html
    assert "Coalition for Civilian Protection" in html  # the original's issuer, listed

    fields["title"] = "ضربة على السوق"
    assert staff_client.post(admin_url("change", translation), fields).status_code == 302
    translation.refresh_from_db()
    assert translation.title == "ضربة على السوق"

    # The original's campaign, changed, is the translation's too.
    original_fields = dict(
        form_fields(
            staff_client.get(admin_url("change", original)).content.decode(), "statement_form"
        )
    )
    original_fields["campaign"] = str(campaign.pk)
    assert staff_client.post(admin_url("change", original), original_fields).status_code == 302
    translation.refresh_from_db()
    assert translation.campaign == campaign


def test_the_translation_s_language_cannot_be_its_original_s(staff_client, staff):
    original = make_statement()
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    fields = dict(
        form_fields(
            staff_client.get(admin_url("change", translation)).content.decode(), "statement_form"
        )
    )
    fields["language"] = "en"
    response = staff_client.post(admin_url("change", translation), fields)
    assert response.status_code == 200
    assert "A translation is in another language than its original." in response.content.decode()


def test_the_publish_page_offers_each_translation_ticked(staff_client, staff):
    original = make_statement()
    arabic = translations.translation_create(statement=original, language="ar", by=staff)
    french = translations.translation_create(statement=original, language="fr", by=staff)
    html = staff_client.get(admin_url("publish", original)).content.decode()
    ticked = re.findall(
        r'<input type="checkbox" name="translations" value="(\d+)"[^>]* checked>', html
    )
    assert sorted(ticked) == sorted([str(arabic.pk), str(french.pk)])

    response = staff_client.post(
        admin_url("publish", original), {"when": "now", "translations": [str(arabic.pk)]}
    )
    assert response.status_code == 302
    arabic.refresh_from_db()
    french.refresh_from_db()
    assert arabic.status == Statement.Status.PUBLISHED
    assert french.status == Statement.Status.DRAFT


def test_retracting_says_the_translations_go_with_it(staff_client, staff):
    original = make_statement()
    arabic = translations.translation_create(statement=original, language="ar", by=staff)
    staff_client.post(admin_url("publish", original), {"when": "now", "translations": [arabic.pk]})
    html = staff_client.get(admin_url("retract", original)).content.decode()
    assert "Its translations go with it, under the same notice if it is retracted:" in html
    assert admin_url("change", arabic) in html


def test_a_viewer_may_not_create_a_translation(client, viewer):
    original = make_statement()
    assert client.get(admin_url("translate", original)).status_code == 403
    assert client.post(admin_url("translate", original), {"language": "ar"}).status_code == 403
    assert not original.translations.exists()


def test_a_draft_translation_is_published_with_its_release(staff_client, staff):
    original = make_statement()
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    html = staff_client.get(admin_url("change", translation)).content.decode()
    assert f'<a href="{admin_url("publish", original)}">Publish the release…</a>' in html
    assert admin_url("publish", translation) not in html


def test_a_signature_cannot_be_added_to_a_translation(staff_client, staff):
    original = make_statement()
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    response = staff_client.post(
        reverse("admin:statements_signature_add"),
        {
            "statement": translation.pk,
            "organization": make_organization().pk,
            "role": "issuer",
            "position": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not translation.signatures.exists()
