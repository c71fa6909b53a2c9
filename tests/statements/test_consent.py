"""A co-signer's consent is kept in the words the form showed them, with the time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from statements.models import Signature
from tests.factories import cosign_data, make_open_statement

pytestmark = pytest.mark.django_db

AUTHORIZED_EN = "I am authorized to sign on behalf of this organization."
CONTACT_EN = "The coalition may contact me about this statement."


def sign_url(statement, language: str) -> str:
    with translation.override(language):
        return reverse("cosign", args=[statement.slug])


def boxes_shown(html: str) -> list[str]:
    """The labels of the two consent boxes as the page shows them."""
    return [
        html.split(f'for="id_{name}"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
        for name in ("authorized", "consent_contact")
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_words_recorded_are_the_ones_the_page_showed(client, language):
    statement = make_open_statement()
    shown = boxes_shown(client.get(sign_url(statement, language)).content.decode())
    before = timezone.now()

    response = client.post(sign_url(statement, language), cosign_data())

    assert response.status_code == 302
    signature = Signature.objects.get(signer_email="layla@rukban.example.org")
    assert signature.consent_text == "\n".join(shown)
    assert before <= signature.consented_at <= timezone.now()
    if language == "ar":
        assert AUTHORIZED_EN not in signature.consent_text
    else:
        assert signature.consent_text == f"{AUTHORIZED_EN}\n{CONTACT_EN}"


def test_an_unticked_box_is_not_recorded_as_agreed(client):
    statement = make_open_statement()

    client.post(sign_url(statement, "en"), cosign_data(consent_contact=""))

    signature = Signature.objects.get(signer_email="layla@rukban.example.org")
    assert signature.consent_text == AUTHORIZED_EN
    assert signature.consent_contact is False


def test_signing_afresh_after_withdrawing_records_the_new_consent(client):
    statement = make_open_statement()
    client.post(sign_url(statement, "en"), cosign_data(consent_contact=""))
    signature = Signature.objects.get()
    earlier = timezone.now() - datetime.timedelta(days=3)
    Signature.objects.filter(pk=signature.pk).update(
        state=Signature.State.WITHDRAWN, consented_at=earlier
    )

    client.post(sign_url(statement, "ar"), cosign_data())

    signature.refresh_from_db()
    assert signature.consented_at > earlier
    assert AUTHORIZED_EN not in signature.consent_text
    assert len(signature.consent_text.splitlines()) == 2


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_form_links_to_the_privacy_notice_in_its_language(client, language):
    statement = make_open_statement()

    html = client.get(sign_url(statement, language)).content.decode()

    with translation.override(language):
        assert f'href="{reverse("privacy")}"' in html


def test_staff_read_the_consent_on_the_signature_but_cannot_change_it(client, staff_client):
    statement = make_open_statement()
    client.post(sign_url(statement, "en"), cosign_data())
    signature = Signature.objects.get()
    url = reverse("admin:statements_signature_change", args=[signature.pk])

    html = staff_client.get(url).content.decode()

    assert AUTHORIZED_EN in html and CONTACT_EN in html
    assert 'name="consent_text"' not in html and 'name="consented_at"' not in html
