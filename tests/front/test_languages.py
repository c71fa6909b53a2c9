"""The public site in the reader's language: Arabic at /ar/, right to left from <html>
down, a statement's translations linked, lists one entry per release."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from front.forms import ArchiveFilterForm
from front.releases import archive_entries, public_originals, release_entries
from front.share_image import ShareCard
from statements.models import Signature, Statement
from tests.factories import make_campaign, make_organization, make_signatures, make_statement

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED
SITE = "https://jointly.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def make_release(**fields):
    """An English original and its Arabic translation, both public, issued by one organization."""
    original = make_statement(status=PUBLISHED, title="Stop the shelling", slug="stop", **fields)
    arabic = make_statement(
        status=PUBLISHED,
        language="ar",
        translation_of=original,
        title="أوقفوا القصف",
        slug="أوقفوا-القصف",
        campaign=original.campaign,
    )
    issuer = make_organization(name="Syrian Civil Defence", slug="scd")
    Signature.objects.create(statement=original, organization=issuer, role=Signature.Role.ISSUER)
    return original, arabic


def html_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_an_arabic_page_is_right_to_left_from_html_down_with_bootstrap_s_rtl_stylesheet(client):
    html = html_of(client, "/ar/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert "أحدث البيانات" in html


def test_an_english_page_is_left_to_right_with_the_usual_stylesheet(client):
    html = html_of(client, "/")
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap.min.css" in html
    assert "bootstrap.rtl" not in html


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client):
    make_statement(status=PUBLISHED)
    html = html_of(client, "/statements/?year=2024")
    assert (
        '<a class="nav-link" href="/ar/statements/?year=2024" hreflang="ar" lang="ar" dir="rtl">'
        "العربية</a>" in html
    )
    assert 'href="/statements/?year=2024" hreflang="en" lang="en" dir="ltr">English</a>' in html_of(
        client, "/ar/statements/?year=2024"
    )


def test_an_arabic_statement_is_shown_in_arabic_and_links_to_its_english_original(client):
    original, arabic = make_release()
    assert (
        arabic.get_absolute_url()
        == "/ar/statements/%D8%A3%D9%88%D9%82%D9%81%D9%88%D8%A7-%D8%A7%D9%84%D9%82%D8%B5%D9%81/"
    )
    html = html_of(client, arabic.get_absolute_url())
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="statement container narrow" lang="ar" dir="rtl"' in html
    # The switcher leads to the English translation, not to the Arabic text in English.
    assert (
        f'href="{original.get_absolute_url()}" hreflang="en" lang="en" dir="ltr">English</a>'
        in html
    )
    # Alternates for crawlers, the original as x-default, and for social networks.
    assert f'<link rel="alternate" hreflang="en" href="{SITE}/statements/stop/">' in html
    assert f'<link rel="alternate" hreflang="ar" href="{SITE}{arabic.get_absolute_url()}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{SITE}/statements/stop/">' in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert '<meta property="og:locale:alternate" content="en_US">' in html
    # And for readers, each language named in itself.
    also = re.search(r'<nav class="also-in.*?</nav>', html, re.S).group()
    assert "متوفر أيضًا بـ:" in also
    assert 'hreflang="en" lang="en" dir="ltr">English</a>' in also


def test_the_original_names_its_arabic_translation_in_arabic(client):
    original, arabic = make_release()
    html = html_of(client, original.get_absolute_url())
    also = re.search(r'<nav class="also-in.*?</nav>', html, re.S).group()
    assert "Also in:" in also
    assert (
        f'href="{arabic.get_absolute_url()}" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in also
    )


def test_a_translation_that_is_not_public_is_never_linked(client):
    original = make_statement(status=PUBLISHED, slug="alone")
    make_statement(language="ar", translation_of=original, slug="مسودة", title="مسودة")
    html = html_of(client, original.get_absolute_url())
    assert "also-in" not in html
    assert 'hreflang="x-default"' not in html
    assert "og:locale:alternate" not in html
    # The switcher shows the same statement with the interface in Arabic.
    assert 'href="/ar/statements/alone/" hreflang="ar"' in html


def test_english_labels_around_an_arabic_statement_are_marked_as_english(client):
    statement = make_statement(status=PUBLISHED, language="ar", title="بيان", slug="bayan")
    make_signatures(statement, 2)
    html = html_of(client, "/statements/bayan/")  # the English interface, on purpose
    assert '<h2 id="signatories-heading" lang="en" dir="ltr">Signed by 2 organizations</h2>' in html
    assert '<time datetime="2024-06-26" lang="en" dir="auto">26 June 2024</time>' in html


def test_the_arabic_page_reads_dates_and_counts_in_arabic(client):
    statement = make_statement(status=PUBLISHED, language="ar", title="بيان", slug="bayan")
    make_signatures(statement, 3)
    html = html_of(client, statement.get_absolute_url())
    assert '<time datetime="2024-06-26" dir="auto">26 يونيو 2024</time>' in html
    assert "موقَّع من 3 منظمات" in html
    assert "مطالبنا" not in html  # no demands, no heading


def test_the_share_card_of_an_arabic_statement_is_labelled_in_arabic(client):
    statement = make_statement(status=PUBLISHED, language="ar", title="بيان", slug="bayan")
    make_signatures(statement, 2)
    with translation.override("ar"):
        card = ShareCard.of(statement, counts={"organizations": 2, "individuals": 0})
    assert card.signed_by == "موقَّع من منظمتين"
    assert card.labels == "ar"
    assert card.date == "26 يونيو 2024"
    # The image view labels it in Arabic whatever the address it is asked at.
    with translation.override("ar"):
        path = reverse("statement_share_image", args=[statement.slug, card.fingerprint])
    assert client.get(path.removeprefix("/ar")).status_code == 200


def test_lists_show_each_release_once_in_the_reader_s_language(client):
    _original, _arabic = make_release(campaign=make_campaign(slug="c"))
    other = make_statement(status=PUBLISHED, title="English only", slug="english-only")
    for path in ["/", "/statements/", "/campaigns/c/", "/organizations/scd/"]:
        english = html_of(client, path)
        assert "Stop the shelling" in english, path
        assert "أوقفوا القصف" not in english, path
        arabic_page = html_of(client, "/ar" + path)
        assert "أوقفوا القصف" in arabic_page, path
        assert "Stop the shelling" not in arabic_page, path
    # A release without Arabic is listed in its own language, marked as such.
    assert '<article class="statement-card" lang="en" dir="ltr">' in html_of(
        client, "/ar/statements/"
    )
    assert other.title in html_of(client, "/ar/statements/")
    # The translation's card names the release's issuers, which sign the original.
    issuer = Signature.objects.get(role=Signature.Role.ISSUER).organization
    assert f"صادر عن <bdi>{issuer.short_name}</bdi>" in html_of(client, "/ar/statements/")


def test_the_archive_lists_the_entries_release_entries_lists_in_the_same_order():
    """front.releases.archive_entries tests each row on its own columns; it must list what
    release_entries lists of the same originals, filtered or not, ties in the dates
    included, and as many entries as originals (the archive's count)."""
    campaign, organization = make_campaign(), make_organization()
    day, at = datetime.date(2024, 3, 1), timezone.now()
    for n in range(12):
        original = make_statement(
            status=Statement.Status.ARCHIVED if n == 5 else PUBLISHED,
            # Ties: four releases a day, two published at the same moment.
            release_date=day - datetime.timedelta(days=n // 4),
            published_at=at - datetime.timedelta(minutes=n // 2),
            campaign=campaign if n % 3 else None,
        )
        if n % 2:
            Signature.objects.create(statement=original, organization=organization)
        if n % 4 == 1:  # a public Arabic translation, released a day later
            make_statement(
                status=PUBLISHED, language="ar", translation_of=original,
                release_date=original.release_date + datetime.timedelta(days=1),
            )  # fmt: skip
        if n % 4 == 2:  # an Arabic draft and a French translation: neither is Arabic's entry
            make_statement(language="ar", translation_of=original)
            make_statement(status=PUBLISHED, language="fr", translation_of=original)
    make_statement(status=PUBLISHED, release_date=datetime.date(2023, 5, 1))
    make_statement(release_date=day)  # a draft: in no list
    filters = [{}, {"campaign": campaign.slug}, {"organization": organization.slug}]
    filters += [{"year": "2024"}, {"campaign": campaign.slug, "year": "2023"}]
    for data in filters:
        form = ArchiveFilterForm(data or None)
        lookups = form.lookups() if data and form.is_valid() else {}
        assert form.is_valid() or not data, data
        originals = public_originals().filter(**lookups)
        for language in ("en", "ar", "fr"):
            listed = list(archive_entries(language, **lookups))
            assert listed == list(release_entries(originals, language)), (data, language)
            assert len(listed) == originals.count(), (data, language)


def test_the_archive_costs_the_same_queries_with_translated_releases(
    client, django_assert_num_queries
):
    for n in range(5):
        original = make_statement(status=PUBLISHED, slug=f"o{n}")
        make_statement(status=PUBLISHED, language="ar", translation_of=original, slug=f"t{n}")
        make_signatures(original, 2, role=Signature.Role.ISSUER)
    # years, campaign choices, organization choices, count, page, issuers
    with django_assert_num_queries(6):
        html = html_of(client, "/ar/statements/?year=2024")
    assert html.count('class="statement-card"') == 5


def test_the_statement_page_costs_the_same_queries_in_a_translated_release(
    client, django_assert_num_queries
):
    _original, arabic = make_release()
    # statement and its original, organizations, individuals, demands, quotes, press
    # contacts, related links, updates, calls to action, the release's translations
    with django_assert_num_queries(10):
        html_of(client, arabic.get_absolute_url())


def test_the_arabic_feed_lists_the_arabic_translation_with_arabic_titles(client):
    make_release()
    english = client.get("/feeds/statements.rss").content.decode()
    assert "<title>Jointly: joint statements</title>" in english
    assert "<language>en</language>" in english
    assert "<title>Stop the shelling</title>" in english
    arabic = client.get("/ar/feeds/statements.rss").content.decode()
    assert "<title>Jointly: بيانات مشتركة</title>" in arabic
    assert "<language>ar</language>" in arabic
    assert "<title>أوقفوا القصف</title>" in arabic
    assert "Stop the shelling" not in arabic
    assert "<dc:creator" in arabic or "Syrian Civil Defence" in arabic


def test_the_sitemap_lists_each_statement_of_a_release_with_its_alternates(client):
    _original, arabic = make_release()
    xml = client.get("/sitemap.xml").content.decode()
    arabic_url = f"{SITE}{arabic.get_absolute_url()}"
    assert xml.count(f'<xhtml:link rel="alternate" hreflang="ar" href="{arabic_url}"/>') == 2
    assert xml.count(f'hreflang="x-default" href="{SITE}/statements/stop/"/>') == 2
    assert f"<loc>{arabic_url}</loc>" in xml


def test_the_api_gives_a_statement_s_translations_and_its_original(client):
    original, arabic = make_release()
    make_statement(language="fr", translation_of=original, slug="brouillon")  # a draft: hidden
    data = client.get(f"/api/statements/{original.slug}/").json()
    assert data["translation_of"] is None
    assert data["translations"] == [
        {
            "language": "ar",
            "slug": arabic.slug,
            "title": "أوقفوا القصف",
            "url": f"{SITE}{arabic.get_absolute_url()}",
            "api_url": f"{SITE}/api/statements/{arabic.get_absolute_url().split('/')[-2]}/",
        }
    ]
    translated = client.get(
        arabic.get_absolute_url().replace("/ar/statements/", "/api/statements/")
    ).json()
    assert translated["translation_of"]["slug"] == "stop"
    assert [t["language"] for t in translated["translations"]] == ["en"]
    assert [i["name"] for i in translated["issuers"]] == ["Syrian Civil Defence"]


def test_the_embed_and_pdf_of_an_arabic_statement_are_labelled_in_arabic(client):
    statement = make_statement(status=PUBLISHED, language="ar", title="بيان", slug="bayan")
    make_signatures(statement, 2)
    embed = html_of(client, "/statements/bayan/embed/")
    assert '<html lang="ar" dir="rtl">' in embed
    assert "موقَّع من منظمتين" in embed
    assert "اقرأ البيان" in embed


def test_api_messages_follow_the_reader_s_language(client):
    response = client.get("/api/statements/", {"page": 9}, headers={"accept-language": "ar"})
    assert response.status_code == 404
    assert response.json()["detail"] == "لا توجد صفحة 9: آخر صفحة هي 1."


def test_robots_txt_keeps_crawlers_out_of_private_pages_in_every_language(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for path in ["/cosign/", "/ar/cosign/", "/ar/statements/*/sign/", "/ar/signoff/"]:
        assert f"Disallow: {path}" in lines, path


def test_the_page_s_card_is_the_one_the_image_view_draws_whatever_the_interface(client):
    statement = make_statement(status=PUBLISHED, language="ar", title="بيان", slug="bayan")
    html = html_of(client, "/statements/bayan/")  # the English interface
    image = re.search(r'<meta property="og:image" content="[^"]*(/statements/[^"]+)">', html)[1]
    assert client.get(image).status_code == 200  # not a redirect to another card
    assert statement.get_absolute_url().startswith("/ar/")


def test_the_api_lists_a_translation_with_its_release_s_issuers_and_finds_it_by_them(client):
    _original, arabic = make_release()
    listed = client.get("/api/statements/", {"organization": "scd"}).json()["results"]
    assert sorted(s["language"] for s in listed) == ["ar", "en"]
    translation_entry = next(s for s in listed if s["language"] == "ar")
    assert [i["name"] for i in translation_entry["issuers"]] == ["Syrian Civil Defence"]
    assert translation_entry["url"] == f"{SITE}{arabic.get_absolute_url()}"


def test_the_home_page_costs_the_same_queries_with_translated_releases(
    client, django_assert_num_queries
):
    for n in range(4):
        original = make_statement(status=PUBLISHED, slug=f"o{n}")
        make_statement(status=PUBLISHED, language="ar", translation_of=original, slug=f"t{n}")
        make_signatures(original, 3, role=Signature.Role.ISSUER)
    # statements, their issuers, campaigns
    with django_assert_num_queries(3):
        html = html_of(client, "/ar/")
    assert html.count('class="statement-card" lang="ar"') == 4
