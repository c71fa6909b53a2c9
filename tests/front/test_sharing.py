import datetime
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.languages import LANGUAGES
from core.tokens import token_hash
from front import share_image
from front.share_image import ShareCard
from front.sharing import OG_LOCALES, share_links
from press.models import Delivery, Distribution
from statements.models import Signature, Statement
from statements.services import signoff
from tests.factories import (
    make_campaign,
    make_contact,
    make_open_statement,
    make_organization,
    make_signatures,
    make_statement,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SITE = "https://jointly.example.org"
PUBLISHED = Statement.Status.PUBLISHED
SHARE_HOSTS = {
    "x.com",
    "www.facebook.com",
    "www.linkedin.com",
    "wa.me",
    "t.me",
    "bsky.app",
}


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = SITE


class Head(HTMLParser):
    """The page's metadata: meta tags by property or name, link tags by rel."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.share_hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and key != "viewport":
            self.meta[key] = attrs["content"]
        elif tag == "link":
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "a" and urlsplit(attrs.get("href", "")).hostname in SHARE_HOSTS:
            self.share_hrefs.append(attrs["href"])


def head_of(client, url: str, status: int = 200) -> Head:
    response = client.get(url)
    assert response.status_code == status
    return Head(response.content.decode())


def png_size_and_mode(content: bytes) -> tuple[tuple[int, int], str, str]:
    image = Image.open(io.BytesIO(content))
    return image.size, image.mode, image.format


@pytest.fixture
def drawn(monkeypatch) -> list[ShareCard]:
    """The cards drawn, in order: the real drawing, counted."""
    cards = []
    real = share_image.render

    def counting(card):
        cards.append(card)
        return real(card)

    monkeypatch.setattr(share_image, "render", counting)
    return cards


NOBODY = {"organizations": 0, "individuals": 0}


def share_image_path(client, statement: Statement) -> str:
    return urlsplit(head_of(client, statement.get_absolute_url()).meta["og:image"]).path


# The page's metadata.


def test_a_statement_page_carries_its_card_its_canonical_address_and_a_large_image(client):
    statement = make_statement(
        status=PUBLISHED,
        kind=Statement.Kind.URGENT_JOINT_STATEMENT,
        title="Open the crossings & let aid in",
        standfirst="Twelve organizations ask for one thing.",
        published_at=datetime.datetime(2024, 6, 26, 9, 30, tzinfo=datetime.UTC),
    )
    make_signatures(statement, 2, role=Signature.Role.ISSUER)
    make_signatures(statement, 3)
    head = head_of(client, statement.get_absolute_url())

    page = f"{SITE}/statements/{statement.slug}/"
    fingerprint = ShareCard.of(statement, counts={"organizations": 3, "individuals": 0}).fingerprint
    alt = (
        "Urgent joint statement: Open the crossings & let aid in. 26 June 2024. "
        "Signed by 3 organizations"
    )
    assert head.links["canonical"] == page
    assert head.meta == {
        "description": "Twelve organizations ask for one thing.",
        "og:site_name": "Jointly",
        "og:type": "article",
        "og:title": "Open the crossings & let aid in",
        "og:description": "Twelve organizations ask for one thing.",
        "og:url": page,
        "og:locale": "en_US",
        "og:image": f"{SITE}/statements/{statement.slug}/share-{fingerprint}.png",
        "og:image:type": "image/png",
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": alt,
        "twitter:image:alt": alt,
        "twitter:card": "summary_large_image",
        "article:published_time": "2024-06-26T09:30:00+00:00",
    }


def test_an_arabic_statement_has_an_arabic_locale_and_an_encoded_address(client):
    statement = make_statement(
        status=PUBLISHED, language="ar", title="بيان مشترك", slug="بيان-مشترك"
    )
    head = head_of(client, statement.get_absolute_url())
    encoded = f"{SITE}/ar/statements/%D8%A8%D9%8A%D8%A7%D9%86-%D9%85%D8%B4%D8%AA%D8%B1%D9%83/"
    assert head.links["canonical"] == encoded
    assert head.meta["og:url"] == encoded
    assert head.meta["og:locale"] == "ar_AR"
    assert head.meta["og:image"].startswith(encoded + "share-")


def test_every_statement_language_has_an_open_graph_locale():
    assert set(OG_LOCALES) == {code for code, _name in LANGUAGES}


def test_the_statement_page_ignores_query_strings_and_the_host_it_was_asked_on(client, settings):
    settings.ALLOWED_HOSTS = ["mirror.example.net"]
    statement = make_statement(status=PUBLISHED)
    response = client.get(
        statement.get_absolute_url(), {"utm_source": "newsletter"}, HTTP_HOST="mirror.example.net"
    )
    head = Head(response.content.decode())
    assert head.links["canonical"] == f"{SITE}/statements/{statement.slug}/"
    assert head.meta["og:url"] == f"{SITE}/statements/{statement.slug}/"


def test_campaign_organization_home_and_archive_pages_carry_a_website_card(client):
    campaign = make_campaign(title="Protect civilians", summary="Statements on the war.")
    organization = make_organization(name="Coalition for Civilian Protection")
    statement = make_statement(status=PUBLISHED, campaign=campaign)
    Signature.objects.create(statement=statement, organization=organization)
    site_image = f"{SITE}/static/img/share.png"
    tagline = "Joint statements from coalitions of civil-society organizations."
    pages = [
        (reverse("home"), "Jointly", tagline),
        (reverse("statement_list"), "All statements", tagline),
        (campaign.get_absolute_url(), "Protect civilians", "Statements on the war."),
        (
            organization.get_absolute_url(),
            "Coalition for Civilian Protection",
            "Statements issued and signed by Coalition for Civilian Protection.",
        ),
    ]
    for path, title, description in pages:
        head = head_of(client, path)
        assert head.links["canonical"] == SITE + path, path
        assert {key: value for key, value in head.meta.items() if key != "description"} == {
            "og:site_name": "Jointly",
            "og:type": "website",
            "og:title": title,
            "og:description": description,
            "og:url": SITE + path,
            "og:locale": "en_US",
            "og:image": site_image,
            "og:image:type": "image/png",
            "og:image:width": "1200",
            "og:image:height": "630",
            "og:image:alt": "Jointly",
            "twitter:image:alt": "Jointly",
            "twitter:card": "summary",
        }, path


def test_the_archive_canonical_keeps_the_page_and_drops_the_filters(client):
    campaign = make_campaign()
    for day in range(1, 23):
        make_statement(
            status=PUBLISHED, release_date=datetime.date(2024, 1, day), campaign=campaign
        )
    archive = f"{SITE}/statements/"
    cases = [
        ({}, archive),
        ({"page": 1}, archive),
        ({"page": 2}, f"{archive}?page=2"),
        ({"page": 2, "utm_source": "x"}, f"{archive}?page=2"),
        ({"page": 2, "campaign": campaign.slug}, archive),
        ({"year": "2024"}, archive),
    ]
    for params, canonical in cases:
        head = Head(client.get(reverse("statement_list"), params).content.decode())
        assert head.links["canonical"] == canonical, params
        assert head.meta["og:url"] == canonical, params


def test_the_public_cosign_form_has_its_own_canonical_address_and_no_share_buttons(client):
    statement = make_open_statement(status=PUBLISHED, title="Open the crossings")
    head = head_of(client, reverse("cosign", args=[statement.slug]))
    assert head.links["canonical"] == f"{SITE}/statements/{statement.slug}/sign/"
    assert head.meta["og:title"] == "Sign “Open the crossings”"
    assert "robots" not in head.meta
    assert head.share_hrefs == []


def assert_private(response):
    assert response.status_code == 200
    html = response.content.decode()
    head = Head(html)
    assert head.meta["robots"] == "noindex, nofollow"
    assert "canonical" not in head.links
    assert not [key for key in head.meta if key.startswith(("og:", "twitter:"))]
    assert head.share_hrefs == []
    assert 'id="share"' not in html


def test_the_private_cosign_link_is_noindex_without_card_or_share_buttons(client):
    statement = make_open_statement(status=Statement.Status.DRAFT, title="Draft for partners")
    assert_private(client.get(reverse("cosign_private", args=[statement.cosign_key])))


def test_the_press_preview_is_noindex_without_card_or_share_buttons(client):
    statement = make_statement(
        status=Statement.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(hours=5)
    )
    distribution = Distribution.objects.create(statement=statement, subject="Embargoed")
    contact = make_contact()
    Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        email=contact.email,
        preview_token_hash=token_hash("preview-token"),
    )
    assert_private(client.get(reverse("press_preview", args=["preview-token"])))


def test_the_signoff_page_is_noindex_without_card_or_share_buttons(
    client, django_capture_on_commit_callbacks, staff
):
    organization = make_organization()
    contact = make_contact(organization=organization)
    draft = make_statement()
    Signature.objects.create(statement=draft, organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=draft,
            contacts=[contact],
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=staff,
        )
    link = link_in_mail("/signoff/")
    assert_private(client.get(urlsplit(link).path))


def test_the_staff_preview_is_noindex_without_card_or_share_buttons(staff_client):
    for statement in (make_statement(), make_statement(status=PUBLISHED)):
        assert_private(
            staff_client.get(reverse("admin:statements_statement_preview", args=[statement.pk]))
        )


# The share buttons.


def test_share_links_carry_the_encoded_address_and_title():
    url = "https://jointly.example.org/statements/open/"
    title = 'Stop & "think" — now?'
    links = {link.name: link for link in share_links(url=url, title=title)}
    q_url = "https%3A%2F%2Fjointly.example.org%2Fstatements%2Fopen%2F"
    q_title = "Stop%20%26%20%22think%22%20%E2%80%94%20now%3F"
    assert {name: link.href for name, link in links.items()} == {
        "Share on X": f"https://x.com/intent/post?text={q_title}&url={q_url}",
        "Share on Facebook": f"https://www.facebook.com/sharer/sharer.php?u={q_url}",
        "Share on LinkedIn": f"https://www.linkedin.com/sharing/share-offsite/?url={q_url}",
        "Share on WhatsApp": f"https://wa.me/?text={q_title}%20{q_url}",
        "Share on Telegram": f"https://t.me/share/url?url={q_url}&text={q_title}",
        "Share on Bluesky": f"https://bsky.app/intent/compose?text={q_title}%20{q_url}",
        "Share by email": f"mailto:?subject={q_title}&body={q_title}%0D%0A%0D%0A{q_url}",
    }
    assert [link.new_tab for link in links.values()] == [True] * 6 + [False]
    # What each network reads back is exactly what we gave it.
    x = parse_qs(urlsplit(links["Share on X"].href).query)
    assert x == {"text": [title], "url": [url]}


def test_the_statement_page_shows_share_buttons_for_its_public_address(client):
    statement = make_statement(status=PUBLISHED, title="Open the crossings")
    html = client.get(statement.get_absolute_url()).content.decode()
    page = f"{SITE}/statements/{statement.slug}/"
    expected = share_links(url=page, title="Open the crossings")
    head = Head(html)
    assert head.share_hrefs == [link.href for link in expected[:6]]
    section = html[html.index('<section id="share"') :]
    for link in expected[:6]:
        assert (
            f'href="{link.href.replace("&", "&amp;")}" aria-label="{link.name} '
            '(opens in a new tab)" target="_blank" rel="noopener noreferrer"'
        ) in section
    email = expected[6]
    assert f'href="{email.href.replace("&", "&amp;")}" aria-label="Share by email">' in section
    assert (
        f'<input id="share-url" class="form-control" type="url" value="{page}" readonly dir="ltr">'
        in (section)
    )
    assert 'data-copy="share-url" hidden>Copy link</button>' in section
    assert 'role="status" aria-live="polite"' in section
    assert '<script src="/static/js/share.js" defer></script>' in html


def test_the_campaign_page_shows_share_buttons_for_the_campaign(client):
    campaign = make_campaign(title="Protect civilians")
    html = client.get(campaign.get_absolute_url()).content.decode()
    expected = share_links(url=f"{SITE}{campaign.get_absolute_url()}", title="Protect civilians")
    assert Head(html).share_hrefs == [link.href for link in expected[:6]]
    assert "Share this campaign" in html


# The share image.


def test_the_share_image_is_a_1200_by_630_png_kept_for_a_year(client):
    statement = make_statement(status=PUBLISHED)
    response = client.get(share_image_path(client, statement))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    # Its address changes with what it shows: proxies may keep it as long as browsers.
    assert response["Cache-Control"] == "public, max-age=31536000, immutable, s-maxage=31536000"
    assert png_size_and_mode(response.content) == ((1200, 630), "RGB", "PNG")


def test_the_page_only_names_the_image_and_the_image_is_drawn_once(client, drawn):
    statement = make_statement(status=PUBLISHED)
    path = share_image_path(client, statement)
    assert drawn == []
    first = client.get(path).content
    second = client.get(path).content
    assert len(drawn) == 1
    assert first == second


def test_a_new_headline_gives_a_new_address_and_a_new_image(client, drawn):
    statement = make_statement(status=PUBLISHED, title="Open the crossings")
    old_path = share_image_path(client, statement)
    old = client.get(old_path).content
    statement.title = "Open every crossing now"
    statement.save()
    new_path = share_image_path(client, statement)
    assert new_path != old_path
    new = client.get(new_path).content
    assert new != old
    assert [card.headline for card in drawn] == ["Open the crossings", "Open every crossing now"]


def test_a_new_signatory_gives_a_new_address_and_a_new_image(client, drawn):
    statement = make_statement(status=PUBLISHED)
    make_signatures(statement, 1)
    old_path = share_image_path(client, statement)
    old = client.get(old_path).content
    make_signatures(statement, 1)
    new_path = share_image_path(client, statement)
    assert new_path != old_path
    assert client.get(new_path).content != old
    assert [card.signed_by for card in drawn] == [
        "Signed by 1 organization",
        "Signed by 2 organizations",
    ]


def test_a_signature_awaiting_approval_does_not_change_the_image(client):
    statement = make_statement(status=PUBLISHED)
    make_signatures(statement, 1)
    before = share_image_path(client, statement)
    [pending] = make_signatures(statement, 1)
    Signature.objects.filter(pk=pending.pk).update(state=Signature.State.CONFIRMED)
    assert share_image_path(client, statement) == before


def test_an_outdated_image_address_leads_to_the_current_image(client):
    statement = make_statement(status=PUBLISHED)
    old_path = share_image_path(client, statement)
    make_signatures(statement, 3)
    response = client.get(old_path)
    assert response.status_code == 302
    assert response["Location"] == share_image_path(client, statement)
    assert "immutable" not in response.get("Cache-Control", "")


def test_unpublished_statements_have_no_image(client):
    draft = make_statement(title="Secret draft")
    scheduled = make_statement(
        status=Statement.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    for statement in (draft, scheduled):
        fingerprint = ShareCard.of(statement, counts=NOBODY).fingerprint
        url = reverse("statement_share_image", args=[statement.slug, fingerprint])
        assert client.get(url).status_code == 404


def test_a_retracted_statement_says_so_on_the_image_shared_before(client):
    statement = make_statement(status=Statement.Status.RETRACTED)
    card = ShareCard.of(statement, counts=NOBODY)
    assert card.kind == "Retracted · Joint statement"
    url = reverse("statement_share_image", args=[statement.slug, card.fingerprint])
    assert client.get(url).status_code == 200


def test_a_retracted_statement_page_offers_no_share_buttons_and_no_card(client):
    statement = make_statement(status=PUBLISHED, title="Open the crossings")
    shared = Head(client.get(statement.get_absolute_url()).content.decode())
    assert "og:image" in shared.meta and shared.share_hrefs
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.RETRACTED, retracted_at=timezone.now(), retraction_note="Wrong."
    )

    html = client.get(statement.get_absolute_url()).content.decode()
    head = Head(html)
    assert head.share_hrefs == []
    assert 'id="share"' not in html
    assert "share.js" not in html
    assert not [key for key in head.meta if "image" in key]
    assert head.meta["twitter:card"] == "summary"
    # Still the canonical page, with the notice.
    assert head.links["canonical"] == f"{SITE}/statements/{statement.slug}/"
    assert "This statement has been retracted" in html


@pytest.mark.parametrize("signatories", [1, 500])
def test_the_share_image_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_statement(status=PUBLISHED)
    make_signatures(statement, signatories)
    path = share_image_path(client, statement)
    # the statement, the counts of listed signatories
    with django_assert_num_queries(2):
        response = client.get(path)
    assert response.status_code == 200


def ink_box(png: bytes, top: int, bottom: int) -> tuple[int, int, int, int] | None:
    """Where the dark text is, within a band of rows of the card."""
    image = Image.open(io.BytesIO(png)).convert("L").crop((0, top, 1200, bottom))
    return image.point(lambda value: 255 if value < 128 else 0).getbbox()


def card(headline: str, **fields) -> ShareCard:
    defaults = {
        "kind": "Joint statement",
        "date": "26 June 2024",
        "organizations": 3,
        "individuals": 0,
        "signed_by": "Signed by 3 organizations",
        "language": "en",
        "direction": "ltr",
        "labels": "en",
    }
    return ShareCard(headline=headline, **(defaults | fields))


ARABIC = "أوقفوا القصف"
ARABIC_CARD = {"language": "ar", "direction": "rtl"}


def test_an_arabic_headline_is_drawn_from_the_right_margin():
    arabic = share_image.render(card(ARABIC, **ARABIC_CARD))
    latin = share_image.render(card("x" * len(ARABIC)))
    assert arabic != latin
    headline = (share_image.HEADLINE_TOP - 20, share_image.HEADLINE_BOTTOM)
    left, _, right, _ = ink_box(arabic, *headline)
    assert 1120 - 12 <= right <= 1120
    assert left > 400
    left, _, right, _ = ink_box(latin, *headline)
    assert 80 <= left <= 80 + 12
    assert right < 800


def test_arabic_letters_are_joined():
    # A zero-width non-joiner between letters keeps them apart: without shaping,
    # joined and apart would be drawn the same.
    apart = "\u200c".join(ARABIC)
    joined = share_image.render(card(ARABIC, **ARABIC_CARD))
    assert joined != share_image.render(card(apart, **ARABIC_CARD))


def test_a_long_headline_shrinks_then_is_cut_with_an_ellipsis_inside_its_space():
    words = "Civilians must be protected from the shelling of markets and homes "
    headline = (words * 6).strip()
    size, lines = share_image._fit_headline(card(headline))
    assert size == share_image.HEADLINE_SIZES[-1]
    assert lines[-1].endswith("…")
    assert len(" ".join(lines)) < len(headline)
    png = share_image.render(card(headline))
    assert ink_box(png, share_image.HEADLINE_BOTTOM, 505) is None
    left, _, right, _ = ink_box(png, share_image.HEADLINE_TOP, share_image.HEADLINE_BOTTOM)
    assert left >= 80 and right <= 1120


def test_a_short_headline_is_drawn_large():
    size, lines = share_image._fit_headline(card("Ceasefire now"))
    assert (size, lines) == (share_image.HEADLINE_SIZES[0], ["Ceasefire now"])


def test_a_word_wider_than_the_card_is_broken():
    size, lines = share_image._fit_headline(card("W" * 60))
    assert "".join(lines) == "W" * 60
    assert len(lines) > 1
    assert all(share_image._font(size, bold=True).getlength(line) <= 1040 for line in lines)
