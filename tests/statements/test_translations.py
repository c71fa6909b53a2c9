"""A statement and its translations as one release: made, kept up to date, signed off,
published, scheduled, archived and retracted together."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from statements.models import Quote, SignoffAnswer, SignoffEvent, Statement
from statements.selectors import translation_status
from statements.services import cosigning, lifecycle, signoff, translations
from tests.factories import (
    cosign_data,
    make_full_statement,
    make_organization,
    make_signatures,
    make_signed_statement,
    make_staff,
    make_statement,
    submitted,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 26, 9, 0, tzinfo=datetime.UTC)


def signoff_token_in(message) -> str:
    return link_in_mail("/signoff/", message).rstrip("/").rsplit("/", 1)[1]


def translate(statement, staff, language="ar", **text) -> Statement:
    translation = translations.translation_create(statement=statement, language=language, by=staff)
    for field, value in text.items():
        setattr(translation, field, value)
    if text:
        translation.save()
    return translation


def approve_all(statement, contacts, captured):
    with captured(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=contacts,
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=make_staff(),
        )
    for contact in contacts:
        message = [m for m in mail.outbox if m.to == [contact.email]][-1]
        token = signoff_token_in(message)
        signoff.signoff_answer(token=token, decision=SignoffAnswer.Decision.APPROVED)


# Making a translation


def test_a_translation_copies_the_structure_for_staff_to_translate(staff):
    original = make_full_statement(hero_alt="A market", hero_credit="Photo: R.")
    translation = translate(original, staff)
    assert translation.translation_of == original
    assert translation.language == "ar"
    assert translation.status == Statement.Status.DRAFT
    assert translation.slug == "market-strike-ar"
    for field in [
        "kind", "title", "standfirst", "dateline", "release_date", "body", "hero_alt",
        "hero_credit", "campaign_id",
    ]:  # fmt: skip
        assert getattr(translation, field) == getattr(original, field), field
    assert [(d.position, d.heading, d.text) for d in translation.demands.all()] == [
        (d.position, d.heading, d.text) for d in original.demands.all()
    ]
    quote = translation.quotes.get()
    assert (quote.person_name, quote.organization.short_name) == ("Rana Haddad", "CCP")
    # Signatures and press contacts stay on the original: they are the release's.
    assert not translation.signatures.exists()
    assert not translation.press_contacts.exists()
    assert translation.is_up_to_date()
    assert original.release() == [original, translation]


def test_a_translation_s_slug_is_made_unique(staff):
    original = make_statement(slug="aid")
    make_statement(slug="aid-fr")
    assert translate(original, staff, language="fr").slug == "aid-fr-2"


@pytest.mark.parametrize(
    "language, code",
    [("xx", "unknown_language"), ("en", "same_language"), ("ar", "translation_exists")],
)
def test_it_refuses_a_language_the_release_cannot_take(staff, language, code):
    original = make_statement()
    translate(original, staff, language="ar")
    with pytest.raises(ValidationError) as refused:
        translations.translation_create(statement=original, language=language, by=staff)
    assert refused.value.code == code
    assert original.translations.count() == 1


def test_it_refuses_a_translation_of_a_translation(staff):
    arabic = translate(make_statement(), staff)
    with pytest.raises(ValidationError) as refused:
        translations.translation_create(statement=arabic, language="fr", by=staff)
    assert refused.value.code == "translation_of_translation"


def test_it_refuses_to_translate_a_retracted_release(staff):
    retracted = make_statement(status=Statement.Status.RETRACTED)
    with pytest.raises(ValidationError) as refused:
        translations.translation_create(statement=retracted, language="ar", by=staff)
    assert refused.value.code == "retracted"


def test_an_outsider_may_not_translate_nor_mark_up_to_date(outsider, staff):
    original = make_statement()
    with pytest.raises(PermissionDenied):
        translations.translation_create(statement=original, language="ar", by=outsider)
    translation = translate(original, staff)
    with pytest.raises(PermissionDenied):
        translations.translation_mark_up_to_date(translation=translation, by=outsider)


def test_the_model_refuses_a_translation_in_its_original_s_language(staff):
    translation = translate(make_statement(), staff)
    translation.language = "en"
    with pytest.raises(ValidationError) as refused:
        translation.full_clean()
    assert "language" in refused.value.message_dict


# Up to date with the original


def test_a_translation_falls_behind_when_the_original_s_text_changes_and_back_when_marked(staff):
    original = make_statement(body="The first text.")
    translation = translate(original, staff, body="النص الأول.")
    (status,) = translation_status(original)
    assert status.up_to_date and status.changes == []

    original.body = "The second text."
    original.save()
    translation.refresh_from_db()
    assert not translation.is_up_to_date()
    (status,) = translation_status(original)
    assert not status.up_to_date
    assert [row["label"] for row in status.changes] == ["Body"]
    assert "<ins>second</ins>" in status.changes[0]["new"]

    # Signatories joining change nothing a translation says.
    make_signatures(original, 2)
    translations.translation_mark_up_to_date(translation=translation, by=staff)
    (status,) = translation_status(original)
    assert status.up_to_date
    assert translation.source_checked_at is not None


# Sign-off covers every language


def test_a_version_holds_the_text_in_every_language(staff, django_capture_on_commit_callbacks):
    original, contacts = make_signed_statement()
    arabic = translate(original, staff, title="العنوان", body="النص.")
    approve_all(arabic, contacts, django_capture_on_commit_callbacks)
    version = original.versions.get()
    assert not arabic.versions.exists()
    assert version.content["language"] == "en"
    assert version.content["translations"]["ar"]["title"] == "العنوان"
    assert version.content["translations"]["ar"]["body"] == "النص."
    assert arabic.signable_content() == original.signable_content()
    assert signoff.signoff_missing(arabic) == []


def test_the_gate_refuses_a_translation_changed_since_approval(
    staff, django_capture_on_commit_callbacks
):
    original, contacts = make_signed_statement()
    arabic = translate(original, staff, body="النص.")
    approve_all(original, contacts, django_capture_on_commit_callbacks)
    arabic.body = "نص آخر لم يوافق عليه أحد."
    arabic.save()
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=original, by=staff)
    assert refused.value.code == "not_signed_off"
    with pytest.raises(ValidationError):
        lifecycle.statement_publish(statement=original, translations=[], by=staff)
    original.refresh_from_db()
    assert original.status == Statement.Status.SIGNOFF


def test_the_gate_refuses_a_translation_published_later_when_changed_since(
    staff, django_capture_on_commit_callbacks
):
    original, contacts = make_signed_statement()
    arabic = translate(original, staff, body="النص.")
    approve_all(original, contacts, django_capture_on_commit_callbacks)
    lifecycle.statement_publish(statement=original, translations=[], by=staff)
    arabic.body = "نص آخر."
    arabic.save()
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=arabic, by=staff)
    assert refused.value.code == "not_signed_off"
    lifecycle.statement_publish(statement=arabic, by=staff, override_reason="Typo fixed.")
    arabic.refresh_from_db()
    assert arabic.status == Statement.Status.PUBLISHED
    assert SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN).statement == original


# Publishing together


def test_publishing_the_original_publishes_its_translations_at_the_same_moment(staff):
    original = make_statement()
    arabic, french = translate(original, staff), translate(original, staff, language="fr")
    lifecycle.statement_publish(statement=original, now=NOW, by=staff)
    for statement in (original, arabic, french):
        statement.refresh_from_db()
        assert statement.status == Statement.Status.PUBLISHED
        assert statement.published_at == NOW
        assert statement.published_version == original.published_version


def test_staff_choose_which_translations_go_out_now(staff):
    original = make_statement()
    arabic, french = translate(original, staff), translate(original, staff, language="fr")
    lifecycle.statement_publish(statement=original, translations=[arabic], now=NOW, by=staff)
    arabic.refresh_from_db()
    french.refresh_from_db()
    assert arabic.status == Statement.Status.PUBLISHED
    assert french.status == Statement.Status.DRAFT
    later = NOW + datetime.timedelta(days=1)
    lifecycle.statement_publish(statement=french, now=later, by=staff)
    french.refresh_from_db()
    assert (french.status, french.published_at) == (Statement.Status.PUBLISHED, later)


def test_a_translation_waits_for_its_original(staff):
    original = make_statement()
    arabic = translate(original, staff)
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=arabic, by=staff)
    assert refused.value.code == "original_not_public"
    other = translate(make_statement(), staff)
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=original, translations=[other], by=staff)
    assert refused.value.code == "not_a_waiting_translation"


def test_scheduling_the_release_publishes_the_chosen_translations_together(staff):
    original = make_statement()
    arabic, french = translate(original, staff), translate(original, staff, language="fr")
    at = NOW + datetime.timedelta(hours=1)
    lifecycle.statement_schedule(
        statement=original, publish_at=at, translations=[arabic], now=NOW, by=staff
    )
    arabic.refresh_from_db()
    french.refresh_from_db()
    assert (arabic.status, arabic.publish_at) == (Statement.Status.SCHEDULED, at)
    assert french.status == Statement.Status.DRAFT

    assert lifecycle.statements_publish_due(now=at) == 2
    for statement in (original, arabic):
        statement.refresh_from_db()
        assert (statement.status, statement.published_at) == (Statement.Status.PUBLISHED, at)


def test_returning_the_release_to_draft_takes_its_scheduled_translations(staff):
    original = make_statement()
    arabic = translate(original, staff)
    lifecycle.statement_schedule(
        statement=original, publish_at=NOW + datetime.timedelta(hours=1), now=NOW, by=staff
    )
    original.refresh_from_db()
    lifecycle.statement_unschedule(statement=original, by=staff)
    arabic.refresh_from_db()
    assert arabic.status == Statement.Status.DRAFT
    assert arabic.publish_at is None


def test_scheduling_again_without_a_translation_returns_it_to_draft(staff):
    original = make_statement()
    arabic = translate(original, staff)
    at = NOW + datetime.timedelta(hours=1)
    lifecycle.statement_schedule(statement=original, publish_at=at, now=NOW, by=staff)
    original.refresh_from_db()
    lifecycle.statement_schedule(
        statement=original, publish_at=at, translations=[], now=NOW, by=staff
    )
    arabic.refresh_from_db()
    assert (arabic.status, arabic.publish_at) == (Statement.Status.DRAFT, None)


def test_a_held_release_holds_its_translations(staff, django_capture_on_commit_callbacks):
    original, contacts = make_signed_statement()
    arabic = translate(original, staff, body="النص.")
    approve_all(original, contacts, django_capture_on_commit_callbacks)
    at = NOW + datetime.timedelta(hours=1)
    lifecycle.statement_schedule(statement=original, publish_at=at, now=NOW, by=staff)
    arabic.refresh_from_db()
    arabic.body = "نص آخر بعد الجدولة."
    arabic.save()
    assert lifecycle.statements_publish_due(now=at) == 0
    for statement in (original, arabic):
        statement.refresh_from_db()
        assert statement.status == Statement.Status.DRAFT
    assert SignoffEvent.objects.get(kind=SignoffEvent.Kind.HELD).statement == original


def test_archiving_and_retracting_the_original_carry_its_public_translations(staff):
    original = make_statement()
    arabic, french = translate(original, staff), translate(original, staff, language="fr")
    lifecycle.statement_publish(statement=original, translations=[arabic], now=NOW, by=staff)
    original.refresh_from_db()
    lifecycle.statement_archive(statement=original, by=staff)
    arabic.refresh_from_db()
    assert arabic.status == Statement.Status.ARCHIVED
    original.refresh_from_db()
    lifecycle.statement_retract(statement=original, note="Wrong figures.", now=NOW, by=staff)
    arabic.refresh_from_db()
    french.refresh_from_db()
    assert (arabic.status, arabic.retraction_note) == (Statement.Status.RETRACTED, "Wrong figures.")
    assert french.status == Statement.Status.DRAFT


def test_a_release_is_not_corrected_by_one_of_its_own_translations(staff):
    original = make_statement()
    arabic = translate(original, staff)
    lifecycle.statement_publish(statement=original, now=NOW, by=staff)
    original.refresh_from_db()
    arabic.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_retract(
            statement=original, note="Wrong.", corrected_by=arabic, by=staff
        )
    assert refused.value.code == "correction_not_public"


# One release for readers


def test_signing_a_translation_s_page_signs_the_original(client, staff):
    original = make_statement(status=Statement.Status.PUBLISHED, cosign_open=True)
    arabic = translate(original, staff)
    lifecycle.statement_publish(statement=arabic, by=staff)
    response = client.post(f"/ar/statements/{arabic.slug}/sign/", cosign_data())
    assert response.status_code == 302
    signature = original.signatures.get()
    assert signature.language == "ar"
    assert not arabic.signatures.exists()
    # The same organization signing again on the original's page is told it has signed.
    with pytest.raises(cosigning.AlreadySigned):
        submitted(original)


def test_a_closed_original_closes_its_translations_pages(client, staff):
    original = make_statement(status=Statement.Status.PUBLISHED, cosign_open=False)
    arabic = translate(original, staff)
    lifecycle.statement_publish(statement=arabic, by=staff)
    assert client.get(f"/ar/statements/{arabic.slug}/sign/").status_code == 404


def test_the_page_parts_of_any_member_cover_every_member_and_the_campaign(staff):
    original = make_full_statement()
    arabic, french = translate(original, staff), translate(original, staff, language="fr")
    expected = [
        "statement:market-strike", f"statement:{arabic.slug}", f"statement:{french.slug}",
        "campaign:protect-civilians",
    ]  # fmt: skip
    assert sorted(arabic.page_parts()) == sorted(expected)
    assert sorted(original.page_parts()) == sorted(expected)


def test_a_translation_s_page_lists_the_original_s_signatories(client, staff):
    original = make_full_statement()
    make_signatures(original, 2)
    arabic = translate(original, staff, title="ضربة السوق")
    lifecycle.statement_publish(statement=arabic, by=staff, override_reason="Approved by phone.")
    response = client.get(arabic.get_absolute_url())
    assert response.status_code == 200
    context = response.context
    assert [o.short_name for o in context["issuers"]] == ["CCP"]
    assert len(context["signatories"]) == 2
    assert [c.name for c in context["press_contacts"]] == ["Sam Okafor"]


@pytest.mark.parametrize("member", ["original", "translation"])
def test_a_release_s_pages_cost_the_same_queries_however_many_signed(client, staff, member):
    counts = []
    for signatories in (1, 200):
        original = make_statement(
            status=Statement.Status.PUBLISHED, slug=f"s{signatories}", title="Original"
        )
        arabic = translate(original, staff)
        lifecycle.statement_publish(statement=arabic, by=staff)
        make_signatures(original, signatories)
        page = original if member == "original" else arabic
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The sign-off page in the contact's language


def test_the_sign_off_page_shows_the_contact_s_language_and_links_the_others(
    client, staff, django_capture_on_commit_callbacks
):
    original, (alpha, beta, _gamma) = make_signed_statement()
    translate(original, staff, title="العنوان بالعربية", body="النص بالعربية.")
    alpha.language = "ar"
    alpha.save()
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=original,
            contacts=[alpha, beta],
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=staff,
        )

    def page(contact, query=""):
        # The page's interface is English at its unprefixed address, whichever the email used.
        message = [m for m in mail.outbox if m.to == [contact.email]][-1]
        token = signoff_token_in(message)
        with translation.override("en"):
            return client.get(reverse("signoff", args=[token]) + query).content.decode()

    arabic_page = page(alpha)
    article = arabic_page[arabic_page.index("<article") :]
    assert article.startswith(
        '<article class="statement container narrow signoff-text" lang="ar" dir="rtl"'
    )
    assert "العنوان بالعربية" in article
    assert "The first text." not in article
    assert '<a href="?language=en" lang="en" hreflang="en">English</a>' in arabic_page

    english_page = page(beta)
    assert 'lang="en" dir="ltr"' in english_page
    assert "The first text." in english_page
    assert '<a href="?language=ar" lang="ar" hreflang="ar">العربية</a>' in english_page
    assert "It covers the text in all 2 languages." in english_page

    assert "النص بالعربية." in page(beta, "?language=ar")


def test_a_translation_s_quotes_keep_their_organization(staff):
    original = make_statement()
    Quote.objects.create(
        statement=original, text="Words.", person_name="A", organization=make_organization()
    )
    arabic = translate(original, staff)
    assert arabic.quotes.get().organization == original.quotes.get().organization


def test_the_sign_off_page_speaks_arabic_at_its_arabic_address(
    client, staff, django_capture_on_commit_callbacks
):
    original, (alpha, *_others) = make_signed_statement()
    translate(original, staff, title="العنوان بالعربية")
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=original,
            contacts=[alpha],
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=staff,
        )
    token = signoff_token_in(mail.outbox[-1])
    with translation.override("ar"):
        path = reverse("signoff", args=[token])
    html = client.get(path + "?language=ar").content.decode()
    assert "ردّكم على النسخة 1" in html
    assert "ويشمل النص بلغتيه كلتيهما." in html
    assert "العنوان بالعربية" in html
