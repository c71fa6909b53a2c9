import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from organizations.models import Organization
from statements.models import OutgoingEmail, Signature, SignatureToken, Statement
from statements.services import cosigning
from statements.tasks import send_unsent_emails
from tests.conftest import celery_settings
from tests.factories import (
    cosign_data,
    image_bytes,
    make_open_statement,
    make_organization,
    png_header_only,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    "organization_name", "signer_name", "signer_title", "signer_phone", "message",
]  # fmt: skip
SCRIPT = "<script>alert(1)</script>"


def sign_url(statement: Statement) -> str:
    return reverse("cosign", args=[statement.slug])


def post_form(client, statement, **overrides):
    return client.post(sign_url(statement), cosign_data(**overrides))


@pytest.fixture
def run_tasks(client, django_capture_on_commit_callbacks):
    """After each request, run what it queued on commit, as the commit and a worker would."""
    request = client.request

    def request_and_commit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = request_and_commit


def test_the_public_page_invites_partners_to_sign_without_a_form_of_its_own(client):
    statement = make_open_statement()
    html = client.get(statement.get_absolute_url()).content.decode()
    assert f'href="{sign_url(statement)}"' in html
    assert "Add your organization" in html
    # No form and no CSRF token: the page stays cacheable.
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in client.cookies


def test_no_invitation_when_co_signing_is_not_open(client):
    closed = make_open_statement(cosign_open=False)
    assert "Add your organization" not in client.get(closed.get_absolute_url()).content.decode()
    assert client.get(sign_url(closed)).status_code == 404


def test_after_the_closing_date_the_form_says_so(client):
    statement = make_open_statement(cosign_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(sign_url(statement))
    assert response.status_code == 410
    assert "Co-signing closed on" in response.content.decode()
    assert post_form(client, statement).status_code == 410
    assert not Signature.objects.exists()


def test_a_partner_signs_and_is_asked_to_check_their_email(client, run_tasks):
    statement = make_open_statement()
    response = post_form(client, statement)
    assert response.status_code == 302
    assert response["Location"] == reverse("cosign_sent", args=[statement.slug])
    assert "Check your email" in client.get(response["Location"]).content.decode()
    signature = Signature.objects.get()
    assert (signature.state, signature.signer_email) == ("submitted", "layla@rukban.example.org")
    assert signature.authorized and signature.consent_contact
    assert len(mail.outbox) == 1


def test_the_confirmation_link_shows_a_button_and_only_a_post_confirms(client, run_tasks):
    statement = make_open_statement()
    post_form(client, statement)
    link = link_in_mail("/signatures/confirm/")
    path = link.removeprefix("http://127.0.0.1:8000")

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm our signature" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    client.head(path)
    assert Signature.objects.get().state == "submitted"

    response = client.post(path)
    assert response.status_code == 302
    assert Signature.objects.get().state == "confirmed"

    again = client.get(path)
    assert again.status_code == 200
    assert "confirmed and waiting for the coalition’s approval" in again.content.decode()
    client.post(path)
    assert Signature.objects.get().events.filter(kind="confirmed").count() == 1


def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, run_tasks):
    post_form(client, make_open_statement())
    path = link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000")
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    for response in (client.get(tampered), client.post(tampered)):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert Signature.objects.get().state == "submitted"


def test_an_expired_link_gets_a_clear_page_with_a_way_to_get_a_new_one(client, run_tasks):
    statement = make_open_statement()
    post_form(client, statement)
    path = link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000")
    SignatureToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert reverse("cosign_resend", args=[statement.slug]) in html
    assert Signature.objects.get().state == "submitted"


def test_the_withdraw_link_takes_the_organization_off_the_page(client, run_tasks):
    statement = make_open_statement(cosign_auto_approve=True)
    make_organization(
        name="Rukban Aid Committee", website="https://rukban.example.org", verified=True
    )
    post_form(client, statement)
    confirm = link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000")
    withdraw = link_in_mail("/signatures/withdraw/", mail.outbox[0]).removeprefix(
        "http://127.0.0.1:8000"
    )
    client.post(confirm)
    assert "Rukban Aid Committee" in client.get(statement.get_absolute_url()).content.decode()
    assert "Withdraw our signature" in client.get(withdraw).content.decode()
    client.post(withdraw)
    assert Signature.objects.get().state == "withdrawn"
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "Rukban Aid Committee" not in html


def test_a_second_attempt_gets_a_clear_message_and_the_offer_to_resend(client, run_tasks):
    statement = make_open_statement()
    post_form(client, statement)
    response = post_form(client, statement, signer_email="colleague@rukban.example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rukban Aid Committee has already signed this statement." in html
    assert "Send the email again" in html
    assert reverse("cosign_resend", args=[statement.slug]) in html
    assert Signature.objects.count() == 1

    resend = client.post(
        reverse("cosign_resend", args=[statement.slug]), {"email": "layla@rukban.example.org"}
    )
    assert "we are sending its email again" in resend.content.decode()
    assert len(mail.outbox) == 2


def test_resending_does_not_tell_who_signed(client, run_tasks):
    statement = make_open_statement()
    response = client.post(
        reverse("cosign_resend", args=[statement.slug]), {"email": "x@example.org"}
    )
    assert "we are sending its email again" in response.content.decode()
    assert mail.outbox == []


def test_a_filled_honeypot_looks_accepted_but_saves_and_sends_nothing(client, run_tasks):
    statement = make_open_statement()
    response = post_form(client, statement, fax_number="+1 555 0100")
    assert response.status_code == 302
    assert not Signature.objects.exists()
    assert not Organization.objects.exists()
    assert mail.outbox == []


def test_too_many_submissions_from_one_address_get_a_429(client, settings):
    settings.COSIGN_RATE_PER_IP = "3/h"
    statement = make_open_statement()
    for n in range(3):
        post_form(
            client,
            statement,
            organization_name=f"Group {n}",
            website="",
            signer_email=f"s{n}@example.org",
        )
    response = post_form(
        client, statement, organization_name="Group 9", signer_email="s9@example.org"
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Signature.objects.count() == 3


def test_too_many_submissions_with_one_email_get_a_429(client, settings):
    settings.COSIGN_RATE_PER_EMAIL = "2/h"
    statement = make_open_statement()
    for n in range(2):
        client.post(
            sign_url(statement),
            cosign_data(organization_name=f"Group {n}", website=""),
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    response = client.post(
        sign_url(statement),
        cosign_data(organization_name="Group 3", website=""),
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429


def test_resend_is_rate_limited_too(client, settings):
    settings.COSIGN_RATE_PER_EMAIL = "1/h"
    statement = make_open_statement()
    url = reverse("cosign_resend", args=[statement.slug])
    assert client.post(url, {"email": "a@example.org"}).status_code == 200
    assert client.post(url, {"email": "a@example.org"}).status_code == 429


@pytest.mark.parametrize("field", [*TEXT_FIELDS])
def test_html_in_any_field_is_kept_as_typed_and_shown_as_text(client, run_tasks, staff, field):
    statement = make_open_statement()
    value = f"{SCRIPT} text" if field != "signer_phone" else "<b>1</b>"
    post_form(client, statement, **{field: value})
    assert getattr(Signature.objects.get(), field) == value
    client.post(link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000"))
    signature = Signature.objects.select_related("organization").get()
    if field == "organization_name":
        assert signature.organization.name == value
    cosigning.signature_approve(signature=signature, by=staff)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>1</b>" not in html
    for message in mail.outbox:
        html_body = message.alternatives[0][0]
        assert "<script>alert(1)</script>" not in html_body


def test_names_in_any_script_are_kept_exactly(client, run_tasks):
    statement = make_open_statement()
    post_form(
        client,
        statement,
        organization_name="جمعية الأمل للإغاثة",
        website="",
        signer_name="Zoë Çelik-Müller",
    )
    signature = Signature.objects.get()
    assert signature.organization_name == "جمعية الأمل للإغاثة"
    assert signature.signer_name == "Zoë Çelik-Müller"
    assert "Zoë Çelik-Müller" in mail.outbox[0].body


@pytest.mark.parametrize("field", ["organization_name", "signer_name", "signer_title", "message"])
def test_overlong_fields_are_refused_with_a_message(client, field):
    statement = make_open_statement()
    response = post_form(client, statement, **{field: "x" * 2001})
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_authorization_box_is_required(client):
    data = cosign_data()
    del data["authorized"]
    response = client.post(sign_url(make_open_statement()), data)
    assert (
        "Only someone authorized by the organization can sign for it." in response.content.decode()
    )
    assert not Signature.objects.exists()


class Boxes(HTMLParser):
    """The attributes of each named form control on a page, by name."""

    def __init__(self, html: str):
        super().__init__()
        self.by_name: dict[str, dict] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and "name" in attrs:
            self.by_name[attrs["name"]] = attrs


def test_the_signer_s_boxes_say_what_they_hold_so_browsers_can_fill_them(client):
    boxes = Boxes(client.get(sign_url(make_open_statement())).content.decode()).by_name
    expected = {
        "organization_name": "organization",
        "website": "url",
        "country": None,
        "kind": None,
        "logo": None,
        "signer_name": "name",
        "signer_title": "organization-title",
        "signer_email": "email",
        "signer_phone": "tel",
        "authorized": None,
        "consent_contact": None,
        "message": None,
        "fax_number": "off",
    }
    assert {name: boxes[name].get("autocomplete") for name in expected} == expected
    assert boxes["signer_phone"]["type"] == "tel"
    assert boxes["signer_email"]["type"] == "email"
    assert boxes["website"]["type"] == "url"


def test_a_failed_submit_leads_with_a_summary_of_the_errors_linked_to_their_fields(client):
    statement = make_open_statement(title="Open the crossings")
    data = cosign_data(signer_email="not an address", website="not a site")
    del data["authorized"]
    page = client.post(sign_url(statement), data).content.decode()

    assert "<title>Error: Sign “Open the crossings” · Jointly</title>" in page
    start = page.index('<div class="error-summary')
    summary = page[start : page.index("</div>", start)]
    assert start < page.index("<h1")
    assert 'tabindex="-1"' in summary
    assert '<h2 id="error-summary-heading" class="h5">There is a problem</h2>' in summary
    links = [
        ("id_website", "Website: Enter a valid URL."),
        ("id_signer_email", "Your email: Enter a valid email address."),
        ("id_authorized", "Only someone authorized by the organization can sign for it."),
    ]
    found = [
        (href.removeprefix("#"), text)
        for href, text in re.findall(r'<a href="([^"]+)" class="alert-link">([^<]+)</a>', summary)
    ]
    assert found == links
    assert '<script src="/static/js/error-summary.js" defer></script>' in page

    fresh = client.get(sign_url(statement)).content.decode()
    assert "data-error-summary" not in fresh
    assert "<title>Sign “Open the crossings” · Jointly</title>" in fresh


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_a_logo_is_re_encoded_and_made_small(client, fmt, mime):
    statement = make_open_statement()
    logo = upload(f"logo.{fmt.lower()}", image_bytes(fmt, size=(2000, 1000)), mime)
    response = client.post(sign_url(statement), cosign_data() | {"logo": logo})
    assert response.status_code == 302
    stored = Signature.objects.get().logo
    with Image.open(stored.path) as image:
        assert image.format == "PNG"
        assert image.size == (512, 256)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ("logo.gif", image_bytes("GIF"), "image/gif"),
        ("logo.png", b"not an image at all", "image/png"),
    ],
)
def test_other_logo_formats_are_refused_with_a_message(client, name, content, mime):
    statement = make_open_statement()
    response = client.post(
        sign_url(statement), cosign_data() | {"logo": upload(name, content, mime)}
    )
    assert response.status_code == 200
    assert "Upload the logo as a PNG, JPEG or WebP image." in response.content.decode()
    assert not Signature.objects.exists()


def test_a_logo_over_2_mb_is_refused(client):
    big = upload("logo.png", image_bytes() + b"\0" * (2 * 1024 * 1024), "image/png")
    response = client.post(sign_url(make_open_statement()), cosign_data() | {"logo": big})
    assert "the limit is 2 MB" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_private_link_shows_the_draft_and_the_form_to_partners_only(client):
    draft = make_open_statement(status=Statement.Status.DRAFT, body="Draft **text** for partners.")
    response = client.get(reverse("cosign_private", args=[draft.cosign_key]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "<strong>text</strong>" in html
    assert 'name="robots" content="noindex, nofollow"' in html
    assert 'name="organization_name"' in html
    assert client.get(reverse("cosign_private", args=["not-the-key"])).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_signing_through_the_private_link(client, run_tasks):
    draft = make_open_statement(status=Statement.Status.DRAFT)
    response = client.post(reverse("cosign_private", args=[draft.cosign_key]), cosign_data())
    assert response["Location"] == reverse("cosign_private_sent", args=[draft.cosign_key])
    assert Signature.objects.get().statement == draft


def test_the_private_link_leads_to_the_public_form_once_published(client):
    statement = make_open_statement()
    response = client.get(reverse("cosign_private", args=[statement.cosign_key]))
    assert response.status_code == 302
    assert response["Location"] == sign_url(statement)


def test_suggestions_list_only_public_or_verified_organizations(client):
    statement = make_open_statement()
    listed = make_organization(name="Relief Network", website="https://relief.example.org")
    Signature.objects.create(statement=statement, organization=listed)
    make_organization(name="Relief Verified", verified=True)
    make_organization(name="Relief Unknown")
    data = client.get(reverse("organization_suggest"), {"q": "relief"}).json()
    assert [o["name"] for o in data["organizations"]] == ["Relief Network", "Relief Verified"]
    assert data["organizations"][0]["website"] == "https://relief.example.org"
    assert client.get(reverse("organization_suggest"), {"q": "r"}).json() == {"organizations": []}


def test_the_archive_asks_for_public_organizations_only_with_their_slugs(client):
    statement = make_open_statement()
    listed = make_organization(name="Relief Network", slug="relief-network")
    Signature.objects.create(statement=statement, organization=listed)
    make_organization(name="Relief Verified", verified=True)
    data = client.get(reverse("organization_suggest"), {"q": "relief", "public": "1"}).json()
    assert [(o["name"], o["slug"]) for o in data["organizations"]] == [
        ("Relief Network", "relief-network")
    ]


def test_with_the_broker_down_the_signature_is_kept_and_the_email_sent_later(
    client, django_capture_on_commit_callbacks, caplog
):
    statement = make_open_statement()
    # Nothing listens on the discard port.
    broker_down = celery_settings(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, statement)
    assert response.status_code == 302
    assert "Could not queue email" in caplog.text
    assert Signature.objects.get().state == "submitted"
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert mail.outbox == []

    # Back up: the sweep finds the email nobody sent, and sends it once.
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert send_unsent_emails.delay().get() == 1
    assert send_unsent_emails.delay().get() == 0
    assert len(mail.outbox) == 1


def test_a_logo_of_too_many_pixels_is_refused_with_a_message(client):
    big = upload("logo.png", image_bytes(size=(4_100, 4_000)), "image/png")
    response = client.post(sign_url(make_open_statement()), cosign_data() | {"logo": big})
    assert response.status_code == 200
    assert "This image is 4100 × 4000 pixels; the limit is 16 megapixels." in (
        response.content.decode()
    )
    assert not Signature.objects.exists()


def test_a_decompression_bomb_is_refused_without_being_decoded(client):
    # Its header says 13,000 by 13,000 pixels and it holds none: decoding it would fail
    # with another message.
    bomb = upload("logo.png", png_header_only(13_000, 13_000), "image/png")
    response = client.post(sign_url(make_open_statement()), cosign_data() | {"logo": bomb})
    assert "This image is 13000 × 13000 pixels" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_organization_list_shows_no_organization_until_its_signer_confirms(
    client, run_tasks, staff
):
    statement = make_open_statement()
    post_form(client, statement, organization_name="Unconfirmed Relief")
    confirm = link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000")
    client.force_login(staff)
    listing = reverse("admin:organizations_organization_changelist")
    assert "Unconfirmed Relief" not in client.get(listing).content.decode()
    assert not Organization.objects.exists()
    client.post(confirm)
    assert "Unconfirmed Relief" in client.get(listing).content.decode()


def test_names_are_stored_without_hidden_characters_and_shown_isolated(client, run_tasks, staff):
    statement = make_open_statement()
    post_form(
        client,
        statement,
        organization_name="\u202eRukban\u200b Aid Committee",
        signer_name="Layla\u2067 Haddad",
        signer_title="\u202dCoordinator",
    )
    signature = Signature.objects.get()
    assert signature.organization_name == "Rukban Aid Committee"
    assert (signature.signer_name, signature.signer_title) == ("Layla Haddad", "Coordinator")
    [confirmation] = mail.outbox
    assert "<bdi>Layla Haddad</bdi>" in confirmation.alternatives[0][0]
    assert "on behalf of <bdi>Rukban Aid Committee</bdi>" in confirmation.alternatives[0][0]
    client.post(link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000"))
    client.force_login(staff)
    queue = client.get(reverse("admin:statements_pendingsignature_changelist")).content.decode()
    assert "<bdi>Rukban Aid Committee</bdi>" in queue
    assert "<bdi>Layla Haddad</bdi>" in queue
    assert "<bdi>layla@rukban.example.org</bdi>" in queue
    cosigning.signature_approve(signature=Signature.objects.get(), by=staff)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "><bdi>Rukban Aid Committee</bdi></a>" in page


def test_an_email_address_with_hidden_characters_is_refused_with_a_message(client):
    statement = make_open_statement()
    response = post_form(client, statement, signer_email="layla@\u202egro.elpmaxe.nabkur")
    assert response.status_code == 200
    assert "This address holds hidden characters" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_name_of_nothing_but_invisible_characters_is_refused(client):
    response = post_form(client, make_open_statement(), organization_name="\u200b\u200d")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Signature.objects.exists()


def test_the_queue_warns_of_a_name_that_only_looks_like_the_organizations(
    client, run_tasks, staff, django_capture_on_commit_callbacks
):
    make_organization(name="Rukban Aid Committee", website="https://rukban.example.org")
    post_form(client, make_open_statement(), organization_name="Rukb\u0430n Aid Committee")
    client.post(link_in_mail("/signatures/confirm/").removeprefix("http://127.0.0.1:8000"))
    client.force_login(staff)
    queue = client.get(reverse("admin:statements_pendingsignature_changelist")).content.decode()
    assert (
        "Typed as “<bdi>Rukb\u0430n Aid Committee</bdi>”, which only looks like this name"
    ) in queue
    assert Organization.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        cosigning.cosign_digests_create()
    [digest] = [m for m in mail.outbox if m.to == [staff.email]]
    assert "(typed as “Rukb\u0430n Aid Committee”, which only looks like it)" in digest.body


def test_staff_read_a_signature_waiting_for_its_organization(client, run_tasks, staff):
    post_form(client, make_open_statement(), organization_name="Not Yet Made")
    signature = Signature.objects.get()
    client.force_login(staff)
    listing = client.get(reverse("admin:statements_signature_changelist")).content.decode()
    assert "<bdi>Not Yet Made</bdi> <em>(new: made when the signer confirms)</em>" in listing
    page = client.get(reverse("admin:statements_signature_change", args=[signature.pk]))
    assert page.status_code == 200
    assert "Organization as the signer typed it" in page.content.decode()
