"""The privacy notice the co-sign form links to: staff write it for each interface
language; /privacy/ and /ar/privacy/ show it."""

import pytest
from django.urls import reverse
from django.utils import translation

from statements.models import PrivacyNotice

pytestmark = pytest.mark.django_db

ENGLISH = "We keep **your email** only to confirm your signature."
ARABIC = "نحتفظ **ببريدك الإلكتروني** لتأكيد توقيعك فقط."
ADD = reverse("admin:statements_privacynotice_add")


def privacy_url(language: str) -> str:
    with translation.override(language):
        return reverse("privacy")


@pytest.fixture
def notices():
    return [
        PrivacyNotice.objects.create(language="en", text=ENGLISH),
        PrivacyNotice.objects.create(language="ar", text=ARABIC),
    ]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", "We keep <strong>your email</strong> only", "نحتفظ"),
        ("ar", "نحتفظ <strong>ببريدك الإلكتروني</strong>", "We keep"),
    ],
)
def test_the_notice_is_shown_in_the_page_s_language(
    client, notices, django_assert_num_queries, language, shown, hidden
):
    with django_assert_num_queries(1):
        response = client.get(privacy_url(language))

    html = response.content.decode()
    assert response.status_code == 200
    assert shown in html and hidden not in html
    assert f'lang="{language}"' in html


def test_a_language_without_its_notice_shows_the_english_one_marked_as_english(client):
    PrivacyNotice.objects.create(language="en", text=ENGLISH)

    html = client.get(privacy_url("ar")).content.decode()

    assert '<div class="privacy-notice" lang="en" dir="ltr">' in html


def test_before_staff_write_one_the_page_says_so(client):
    response = client.get(privacy_url("en"))

    assert response.status_code == 200
    assert "has not published its privacy notice yet" in response.content.decode()


def test_markup_in_the_notice_is_not_run(client):
    PrivacyNotice.objects.create(language="en", text="Hello <script>alert(1)</script>")

    assert "<script>alert(1)" not in client.get(privacy_url("en")).content.decode()


def test_staff_write_the_notice_in_the_admin_and_the_page_shows_it(client, staff_client):
    response = staff_client.post(ADD, {"language": "ar", "text": ARABIC})

    assert response.status_code == 302
    notice = PrivacyNotice.objects.get(language="ar")
    change = reverse("admin:statements_privacynotice_change", args=[notice.pk])
    staff_client.post(change, {"text": "نص جديد"})
    notice.refresh_from_db()
    assert notice.text == "نص جديد" and notice.language == "ar"
    assert notice.get_absolute_url() == "/ar/privacy/"
    assert "نص جديد" in client.get(privacy_url("ar")).content.decode()


def test_one_notice_per_language(staff_client, notices):
    response = staff_client.post(ADD, {"language": "en", "text": "Another"})

    assert response.status_code == 200
    assert PrivacyNotice.objects.filter(language="en").count() == 1


def test_an_outsider_cannot_edit_the_notice(client, outsider, notices):
    change = reverse("admin:statements_privacynotice_change", args=[notices[0].pk])

    response = client.post(change, {"text": "Hijacked"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    notices[0].refresh_from_db()
    assert notices[0].text == ENGLISH


def test_staff_who_may_only_look_cannot_change_it(client, viewer, notices):
    change = reverse("admin:statements_privacynotice_change", args=[notices[0].pk])

    response = client.post(change, {"text": "Changed"})

    assert response.status_code == 403
    notices[0].refresh_from_db()
    assert notices[0].text == ENGLISH


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_public_page_links_to_the_notice_in_its_footer(client, language):
    with translation.override(language):
        home = reverse("home")

    footer = client.get(home).content.decode().split("<footer", 1)[1]

    assert f'href="{privacy_url(language)}"' in footer
