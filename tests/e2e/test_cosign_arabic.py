"""The co-sign form on its Arabic address, in Chromium: Arabic labels, Arabic errors."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import collect_errors
from tests.factories import make_open_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_cosign_form_says_what_is_wrong_in_arabic(live_server, page: Page):
    statement = make_open_statement(title="Open the crossings to aid")
    errors = collect_errors(page)
    page.goto(f"{live_server.url}/ar/statements/{statement.slug}/sign/")
    expect(page.get_by_role("heading", name="أضف منظمتك")).to_be_visible()
    page.get_by_label("بريدك الإلكتروني").fill("not an address")
    page.get_by_role("button", name="وقِّع", exact=True).click()

    expect(page).to_have_title("خطأ: التوقيع على «Open the crossings to aid» · Jointly")
    summary = page.get_by_role("alert").filter(has_text="هناك مشكلة")
    expect(summary).to_be_focused()
    # Django's own Arabic for its field errors, ours for the rest.
    expect(summary.get_by_role("link")).to_have_text(
        [
            "اسم المنظمة: هذا الحقل مطلوب.",
            "اسمك الكامل: هذا الحقل مطلوب.",
            "صفتك أو دورك: هذا الحقل مطلوب.",
            "بريدك الإلكتروني: أدخِل عنوان بريد إلكتروني صحيح.",
            "لا يوقّع باسم المنظمة إلا شخص مفوَّض منها.",
        ]
    )
    # Each field says its own error next to it, in Arabic too.
    name = page.get_by_label("اسم المنظمة")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("dir", "auto")
    field_error = (
        page.locator("#id_organization_name").locator("xpath=..").get_by_text("هذا الحقل مطلوب.")
    )
    expect(field_error).to_be_visible()
    summary.get_by_role("link", name="بريدك الإلكتروني: أدخِل عنوان بريد إلكتروني صحيح.").click()
    expect(page.get_by_label("بريدك الإلكتروني")).to_be_focused()
    assert errors == []
