"""Staff choose the admin's language; it stays theirs on every admin page, and Arabic is
right to left. The public pages keep taking theirs from the address."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_campaign, make_organization

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def choose(client, language: str, next_url: str = INDEX):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_the_header_offers_each_interface_language_in_its_own_name(staff_client):
    page = staff_client.get(reverse("admin:organizations_organization_changelist")).content
    page = page.decode()

    assert f'action="{reverse("set_language")}"' in page
    assert 'name="next" value="/admin/organizations/organization/"' in page
    assert '<option value="en" lang="en" selected>English</option>' in page
    assert '<option value="ar" lang="ar">العربيّة</option>' in page


def test_a_staff_member_who_chooses_arabic_gets_the_admin_in_arabic_right_to_left(
    staff_client,
):
    organizations = reverse("admin:organizations_organization_changelist")

    chosen = choose(staff_client, "ar", organizations)
    page = staff_client.get(organizations)

    assert chosen.status_code == 302
    assert chosen["Location"] == organizations
    assert staff_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert page["Content-Language"] == "ar"
    html = page.content.decode()
    assert "admin/css/rtl.css" in html
    assert "المنظمات" in html  # the app, in the index's breadcrumbs and the sidebar
    assert "لغة لوحة الإدارة" in html
    assert '<option value="ar" lang="ar" selected>' in html


def test_arabic_labels_of_organizations_and_campaigns(staff_client):
    organization = make_organization(name="Syrian Relief")
    campaign = make_campaign(title="Ceasefire now")
    choose(staff_client, "ar")

    organization_form = staff_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()
    campaign_form = staff_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()
    calls = staff_client.get(reverse("admin:campaigns_calltoaction_changelist")).content.decode()

    assert "الاسم المختصر" in organization_form  # short name
    assert "منظمة غير حكومية / غير ربحية" in organization_form  # a kind
    assert "الأحرف الأولى من الاسم، مثل SETF." in organization_form  # help text
    assert "Short name" not in organization_form
    assert "مطالبنا" in campaign_form  # what we ask
    assert "الدعوات إلى العمل (تُعرض بهذا الترتيب)" in campaign_form  # the inline
    assert "تُدرَج الحملات النشطة على الصفحة الرئيسية." in campaign_form
    assert "معروضة" in calls  # the "shown" filter
    assert "Live" not in calls


def test_english_stays_the_default_and_can_be_chosen_again(staff_client):
    assert html_tag(staff_client.get(INDEX)) == '<html lang="en" dir="ltr">'

    choose(staff_client, "ar")
    choose(staff_client, "en")

    assert html_tag(staff_client.get(INDEX)) == '<html lang="en" dir="ltr">'


def test_the_browser_language_is_the_admin_default(staff_client):
    page = staff_client.get(INDEX, headers={"accept-language": "ar,en;q=0.5"})

    assert html_tag(page) == '<html lang="ar" dir="rtl">'


def test_the_public_pages_keep_the_language_of_their_address(staff_client):
    choose(staff_client, "ar")

    english = staff_client.get(reverse("statement_list"))

    assert html_tag(english).startswith('<html lang="en"')


def test_the_login_page_follows_the_chosen_language(client):
    choose(client, "ar")

    # The admin's login leads to allauth's (accounts/), which asks for the second factor.
    page = client.get(reverse("admin:login"), follow=True)

    assert html_tag(page) == '<html lang="ar" dir="rtl">'
