"""The statements app in the reader's language: partner pages in the language of their
address, the admin in the staff member's, the preview in the statement's."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext_lazy

from statements.models import Signature, Statement
from tests.factories import confirmed, cosign_data, make_open_statement, make_statement

pytestmark = pytest.mark.django_db


def sign_url(statement: Statement, language: str) -> str:
    with translation.override(language):
        return reverse("cosign", args=[statement.slug])


def test_the_arabic_cosign_form_is_arabic_and_its_text_boxes_take_their_texts_direction(client):
    statement = make_open_statement()
    url = sign_url(statement, "ar")
    assert url.startswith("/ar/")
    html = client.get(url).content.decode()
    assert "أضف منظمتك" in html
    assert "اسم المنظمة" in html
    assert "Organization name" not in html
    for name in ["organization_name", "signer_name", "signer_title", "message"]:
        tag = html[html.index(f'name="{name}"') :]
        tag = tag[: tag.index(">")]
        assert 'dir="auto"' in tag, name


def test_an_arabic_cosign_form_with_errors_says_what_is_wrong_in_arabic(client):
    statement = make_open_statement()
    data = cosign_data(signer_name="", signer_email="not an address")
    del data["authorized"]
    response = client.post(sign_url(statement, "ar"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "هناك مشكلة" in html  # the error summary's heading
    assert "اسمك الكامل: هذا الحقل مطلوب." in html  # Django's own Arabic for "required"
    assert "لا يوقّع باسم المنظمة إلا شخص مفوَّض منها." in html
    assert "There is a problem" not in html
    assert "This field is required." not in html
    assert not Signature.objects.exists()


def test_an_english_cosign_form_with_errors_stays_english(client):
    statement = make_open_statement()
    response = client.post(sign_url(statement, "en"), cosign_data(signer_name=""))
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Your full name: This field is required." in html


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_signature_records_the_language_of_the_page_it_was_signed_on(client, language):
    statement = make_open_statement()
    response = client.post(sign_url(statement, language), cosign_data())
    assert response.status_code == 302
    with translation.override(language):
        assert response["Location"] == reverse("cosign_sent", args=[statement.slug])
    assert Signature.objects.get().language == language


def test_the_already_signed_message_is_in_the_pages_language(client):
    statement = make_open_statement()
    client.post(sign_url(statement, "ar"), cosign_data())
    html = client.post(sign_url(statement, "ar"), cosign_data()).content.decode()
    assert "سبق أن وقّعت Rukban Aid Committee على هذا البيان." in html


def test_the_sent_page_and_the_confirm_link_page_are_in_the_language_of_their_address(client):
    statement = make_open_statement()
    with translation.override("ar"):
        sent = reverse("cosign_sent", args=[statement.slug])
        unknown = reverse("signature_confirm", args=["no-such-token"])
    assert "تفقّد بريدك الإلكتروني" in client.get(sent).content.decode()
    response = client.get(unknown)
    assert response.status_code == 404
    assert "هذا الرابط لا يعمل" in response.content.decode()


def test_the_admin_says_what_a_bulk_action_did_in_arabic(staff_client):
    statement = make_open_statement()
    first = confirmed(statement)
    second = confirmed(statement, organization_name="Second", website="https://s.example.org")
    staff_client.cookies["django_language"] = "ar"
    response = staff_client.post(
        reverse("admin:statements_pendingsignature_changelist"),
        {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "تمت الموافقة على توقيعين." in response.content.decode()


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "لم تتم الموافقة على أي توقيع."),
        (1, "تمت الموافقة على توقيع واحد."),
        (2, "تمت الموافقة على توقيعين."),
        (3, "تمت الموافقة على 3 توقيعات."),
        (11, "تمت الموافقة على 11 توقيعًا."),
        (100, "تمت الموافقة على 100 توقيع."),
    ],
)
def test_a_count_reads_right_in_each_of_the_six_arabic_plural_forms(count, message):
    approved = ngettext_lazy(
        "%(count)s signature approved.", "%(count)s signatures approved.", "count"
    )
    with translation.override("ar"):
        assert approved % {"count": count} == message
    english = "1 signature approved." if count == 1 else f"{count} signatures approved."
    with translation.override("en"):
        assert approved % {"count": count} == english


def test_the_preview_shows_an_arabic_statement_as_its_arabic_readers_will(staff_client):
    statement = make_statement(
        title="بيان", slug="بيان-تجريبي", language="ar", kind=Statement.Kind.URGENT_JOINT_STATEMENT
    )
    response = staff_client.get(reverse("admin:statements_statement_preview", args=[statement.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "بيان مشترك عاجل" in html  # the kind, in Arabic
    assert 'lang="ar" dir="rtl"' in html
    assert 'href="/ar/' in html  # the page's own links lead to the Arabic pages


def test_the_preview_of_an_english_statement_is_english_for_arabic_speaking_staff(staff_client):
    statement = make_statement(kind=Statement.Kind.URGENT_JOINT_STATEMENT)
    staff_client.cookies["django_language"] = "ar"
    html = staff_client.get(
        reverse("admin:statements_statement_preview", args=[statement.pk])
    ).content.decode()
    assert "Urgent joint statement" in html
    assert "بيان مشترك عاجل" not in html


def test_the_statement_admin_text_boxes_and_inlines_take_their_texts_direction(staff_client):
    statement = make_statement()
    html = staff_client.get(
        reverse("admin:statements_statement_change", args=[statement.pk])
    ).content.decode()
    for name in ["title", "standfirst", "body", "demands-0-heading", "quotes-0-text"]:
        index = html.find(f'name="{name}"')
        if index == -1:  # an inline's empty form is named __prefix__
            index = html.index(f'name="{name.replace("-0-", "-__prefix__-")}"')
        start = html.rindex("<", 0, index)
        tag = html[start : html.index(">", index)]
        assert 'dir="auto"' in tag, name
