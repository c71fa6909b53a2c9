"""Every email in its recipient's language: Arabic words, dates and links, right to left."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from core.datetimes import spelled_datetime
from statements.emails import (
    contact_language,
    cosign_digest_email,
    signature_confirmation_email,
    signature_listed_email,
    signoff_request_email,
)
from statements.models import SignoffRequest, Statement, Version
from statements.services import cosigning, lifecycle, signoff
from tests.factories import (
    confirmed,
    make_contact,
    make_open_statement,
    make_signed_statement,
    make_statement,
    submitted,
)
from tests.support import links_in

pytestmark = pytest.mark.django_db

RTL = '<html lang="ar" dir="rtl">'
LTR = '<html lang="en" dir="ltr">'
DEADLINE = datetime.datetime(2026, 7, 12, 9, 0, tzinfo=datetime.UTC)


def html_of(message) -> str:
    [(html, _mimetype)] = message.alternatives
    return html


def test_a_moment_is_written_with_its_time_zone_spelled_out_in_either_language():
    assert spelled_datetime(DEADLINE) == "Sunday 12 July 2026, 09:00 Coordinated Universal Time"
    assert spelled_datetime(DEADLINE, "medium") == "12 July 2026, 09:00 Coordinated Universal Time"
    with translation.override("ar"):
        assert spelled_datetime(DEADLINE) == (
            "الأحد 12 يوليو 2026، الساعة 09:00 (التوقيت العالمي المنسّق)"
        )
        assert spelled_datetime(DEADLINE, zone="Asia/Damascus").endswith(
            "الساعة 12:00 (توقيت سوريا (دمشق))"
        )
    # A zone with no name of its own is named by its key and offset.
    assert spelled_datetime(DEADLINE, zone="Asia/Tokyo") == (
        "Sunday 12 July 2026, 18:00 Asia/Tokyo time (UTC+09:00)"
    )


def test_a_signer_on_the_arabic_page_gets_arabic_emails_right_to_left():
    statement = make_open_statement(title="Open the crossings")
    signature = submitted(statement)
    signature.language = "ar"
    signature.save()
    confirmation = signature_confirmation_email(signature)
    assert confirmation.subject == "أكّد توقيعك: Open the crossings"
    assert "يُرجى تأكيد توقيعك" in confirmation.body
    html = html_of(confirmation)
    assert html.startswith(f"<!doctype html>\n{RTL}")
    assert "text-align: right" in html
    # The links lead to the Arabic pages.
    assert all("/ar/" in link for link in links_in(confirmation.body) if "/signatures/" in link)

    listed = signature_listed_email(signature)
    assert listed.subject == "أنتم مدرجون: Open the crossings"
    assert "شكرًا لوقوفكم معنا." in listed.body
    assert html_of(listed).startswith(f"<!doctype html>\n{RTL}")


def test_a_signer_on_the_english_page_gets_english_whatever_language_is_active():
    signature = submitted(make_open_statement(title="Open the crossings"))
    signature.language = "en"
    signature.save()
    with translation.override("ar"):
        message = signature_confirmation_email(signature)
    assert message.subject == "Confirm your signature: Open the crossings"
    assert "Please confirm your signature" in message.body
    assert html_of(message).startswith(f"<!doctype html>\n{LTR}")
    assert "text-align: left" in html_of(message)


def test_a_signer_of_unknown_language_reads_the_statement_s_and_its_own_title():
    original = make_open_statement(title="Open the crossings")
    make_statement(
        translation_of=original,
        language="ar",
        title="افتحوا المعابر",
        slug="iftahu-al-maabir",
        status=Statement.Status.PUBLISHED,
    )
    signature = submitted(original)
    assert signature_confirmation_email(signature).subject.endswith("Open the crossings")
    signature.language = "ar"
    signature.save()
    listed = signature_listed_email(signature)
    assert listed.subject == "أنتم مدرجون: افتحوا المعابر"
    assert "/ar/statements/iftahu-al-maabir/" in listed.body

    arabic = make_open_statement(title="بيان", language="ar")
    assert signature_confirmation_email(submitted(arabic)).subject == "أكّد توقيعك: بيان"


def test_the_digest_for_staff_is_in_english(staff):
    statement = make_open_statement(title="Open the crossings")
    confirmed(statement)
    [email] = cosigning.cosign_digests_create()
    with translation.override("ar"):
        message = cosign_digest_email(email)
    assert message.subject == "1 new co-signature: Open the crossings"
    assert html_of(message).startswith(f"<!doctype html>\n{LTR}")


def content(title: str, body: str, **extra) -> dict:
    return {"title": title, "standfirst": "", "body": body, "demands": [], "quotes": [],
            "signatories": [], **extra}  # fmt: skip


def signoff_request(language: str, version_content: dict) -> SignoffRequest:
    statement, (contact, *_) = make_signed_statement(title="Open the crossings")
    contact.language = language
    contact.save()
    version = Version.objects.create(
        statement=statement, number=1, content=version_content, content_hash="x", reason="signoff"
    )
    return SignoffRequest.objects.create(
        statement=statement,
        version=version,
        organization=contact.organization,
        contact=contact,
        deadline=DEADLINE,
        expires_at=DEADLINE + datetime.timedelta(days=2),
    )


BILINGUAL = content(
    "Open the crossings",
    "The crossings must open.",
    language="en",
    translations={
        "ar": {
            "title": "افتحوا المعابر",
            "standfirst": "",
            "body": "يجب فتح المعابر.",
            "demands": [{"heading": "وقف النار", "text": "أوقفوا القصف."}],
            "quotes": [],
        },
    },
)


def test_a_sign_off_request_shows_an_arabic_contact_the_arabic_text_and_links_to_the_english():
    request = signoff_request("ar", BILINGUAL)
    message = signoff_request_email(request)
    assert message.subject == (
        "يُرجى الموافقة قبل 12 يوليو، الساعة 09:00 (التوقيت العالمي المنسّق): افتحوا المعابر"
    )
    assert "يجب فتح المعابر." in message.body
    assert "1. وقف النار: أوقفوا القصف." in message.body
    assert "The crossings must open." not in message.body
    # A line opening with an English name still reads right to left.
    assert "\n\u2068Alpha Aid\u2069 من الموقّعين على «\u2068افتحوا المعابر\u2069»." in message.body
    assert "يُرجى الرد قبل الأحد 12 يوليو 2026، الساعة 09:00" in message.body
    html = html_of(message)
    assert html.startswith(f"<!doctype html>\n{RTL}")
    assert '<div lang="ar" dir="rtl"' in html
    assert "<p>يجب فتح المعابر.</p>" in html
    [answer, english] = [link for link in links_in(message.body) if "/signoff/" in link]
    assert "/ar/signoff/" in answer
    assert "/ar/" not in english and english.endswith("?language=en")
    assert english.split("?")[0] == answer.replace("/ar/", "/")
    assert 'hreflang="en">English</a>' in html


def test_an_english_contact_reads_the_english_text_and_is_offered_the_arabic():
    message = signoff_request_email(signoff_request("en", BILINGUAL))
    assert message.subject == (
        "Please approve by 12 July, 09:00 Coordinated Universal Time: Open the crossings"
    )
    assert "The crossings must open." in message.body
    assert "يجب فتح المعابر." not in message.body
    html = html_of(message)
    assert html.startswith(f"<!doctype html>\n{LTR}")
    arabic = [link for link in links_in(message.body) if link.endswith("?language=ar")]
    assert len(arabic) == 1 and "/ar/signoff/" in arabic[0]
    assert 'hreflang="ar">العربية</a>' in html


def test_a_version_without_translations_shows_the_arabic_contact_the_original_in_arabic_words():
    request = signoff_request("ar", content("Open the crossings", "The crossings must open."))
    message = signoff_request_email(request, reminder=True)
    assert message.subject.startswith("تذكير: يُرجى الموافقة قبل")
    assert message.subject.endswith(": Open the crossings")
    assert "The crossings must open." in message.body
    assert "هذا تذكير" in message.body
    html = html_of(message)
    assert html.startswith(f"<!doctype html>\n{RTL}")
    assert '<div lang="en" dir="ltr"' in html  # the English text, left to right
    assert "?language=" not in message.body


def test_the_release_notice_goes_in_the_contact_s_language(
    staff, django_capture_on_commit_callbacks
):
    statement, (alpha, beta, _gamma) = make_signed_statement(title="Open the crossings")
    alpha.language = "ar"
    alpha.save()
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=[alpha, beta],
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=staff,
        )
    [to_alpha] = [m for m in mail.outbox if m.to == [alpha.email]]
    assert to_alpha.subject.startswith("يُرجى الموافقة قبل")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_publish(statement=statement, by=staff, override_reason="Urgent.")
    notices = {m.to[0]: m for m in mail.outbox if m.subject.endswith("Open the crossings")}
    assert notices[alpha.email].subject == "نُشر: Open the crossings"
    # The English name is isolated, so the Arabic sentence keeps its order in plain text.
    said = "نشر التحالف هذا النص (النسخة 1) دون ردّ من \u2068Alpha Aid\u2069."
    assert said in notices[alpha.email].body
    assert html_of(notices[alpha.email]).startswith(f"<!doctype html>\n{RTL}")
    assert notices[beta.email].subject == "Published: Open the crossings"
    assert html_of(notices[beta.email]).startswith(f"<!doctype html>\n{LTR}")


def test_a_contact_of_a_language_the_interface_does_not_speak_reads_english():
    assert contact_language(make_contact(language="fr"), make_statement()) == "fr"
    request = signoff_request("fr", BILINGUAL)
    assert signoff_request_email(request).subject.startswith("Please approve by")
