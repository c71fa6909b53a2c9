import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from statements.models import Signature, Statement
from tests.factories import make_campaign, make_organization, make_signatures, make_statement

pytestmark = pytest.mark.django_db

SITE = "https://statements.example.org"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def sitemap(client) -> dict[str, str | None]:
    """Each address in the sitemap, with its lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root}


def test_the_sitemap_lists_public_pages_with_absolute_addresses_and_no_drafts(client):
    campaign = make_campaign(slug="civilians")
    hidden_campaign = make_campaign(slug="secret-campaign")
    issuer = make_organization(slug="ccp")
    hidden_organization = make_organization(slug="secret-partner")
    published = make_statement(status=Statement.Status.PUBLISHED, slug="out", campaign=campaign)
    Signature.objects.create(statement=published, organization=issuer)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for status, extra in [
        (Statement.Status.DRAFT, {}),
        (Statement.Status.SIGNOFF, {}),
        (Statement.Status.SCHEDULED, {"publish_at": tomorrow}),
    ]:
        statement = make_statement(
            status=status, slug=f"not-yet-{status}", campaign=hidden_campaign, **extra
        )
        Signature.objects.create(statement=statement, organization=hidden_organization)

    assert set(sitemap(client)) == {
        f"{SITE}/",
        f"{SITE}/ar/",
        f"{SITE}/statements/",
        f"{SITE}/ar/statements/",
        f"{SITE}/statements/out/",
        f"{SITE}/campaigns/civilians/",
        f"{SITE}/ar/campaigns/civilians/",
        f"{SITE}/organizations/ccp/",
        f"{SITE}/ar/organizations/ccp/",
    }


def test_archived_and_retracted_statements_stay_in_the_sitemap(client):
    make_statement(status=Statement.Status.ARCHIVED, slug="kept")
    make_statement(status=Statement.Status.RETRACTED, slug="withdrawn")
    urls = sitemap(client)
    assert f"{SITE}/statements/kept/" in urls
    assert f"{SITE}/statements/withdrawn/" in urls


def test_an_organization_whose_signature_is_not_approved_is_left_out(client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    Signature.objects.create(
        statement=statement,
        organization=make_organization(slug="waiting"),
        state=Signature.State.CONFIRMED,
        source=Signature.Source.FORM,
        signer_email="a@example.org",
    )
    assert f"{SITE}/organizations/waiting/" not in sitemap(client)


def test_a_statement_is_last_modified_when_its_signatories_last_changed(client):
    statement = make_statement(status=Statement.Status.PUBLISHED, slug="s")
    Statement.objects.filter(pk=statement.pk).update(
        updated_at=datetime.datetime(2024, 6, 26, tzinfo=datetime.UTC)
    )
    assert sitemap(client)[f"{SITE}/statements/s/"] == "2024-06-26"
    [signature] = make_signatures(statement, 1)
    Signature.objects.filter(pk=signature.pk).update(
        created_at=datetime.datetime(2024, 7, 2, tzinfo=datetime.UTC)
    )
    assert sitemap(client)[f"{SITE}/statements/s/"] == "2024-07-02"


def test_addresses_come_from_site_url_not_from_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["internal.example"]
    make_statement(status=Statement.Status.PUBLISHED, slug="s")
    response = client.get("/sitemap.xml", HTTP_HOST="internal.example")
    assert f"<loc>{SITE}/statements/s/</loc>" in response.content.decode()
    assert b"internal.example" not in response.content


@pytest.mark.parametrize("statements", [1, 100])
def test_the_sitemap_costs_the_same_queries_however_many_pages(
    client, django_assert_num_queries, statements
):
    for _ in range(statements):
        statement = make_statement(status=Statement.Status.PUBLISHED, campaign=make_campaign())
        make_signatures(statement, 3)
    # a count and a page of statements, and their releases; campaigns and organizations,
    # listed in every language, in one query each
    with django_assert_num_queries(5):
        urls = sitemap(client)
    # each statement once; its campaign and its three organizations in both languages
    assert len(urls) == 2 * 2 + statements * (1 + 2 * 4)


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in [
        "/admin/",
        "/cosign/",
        "/signoff/",
        "/press/",
        "/signatures/",
        "/statements/*/sign/",
    ]:
        assert f"Disallow: {path}" in lines, path
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert reverse("robots_txt") == "/robots.txt"


def test_pages_in_every_language_name_each_other(client):
    make_campaign(slug="civilians")
    make_statement(status=Statement.Status.PUBLISHED, campaign=Campaign.objects.get())
    root = ET.fromstring(client.get("/sitemap.xml").content)
    alternates = {
        url.findtext(f"{NS}loc"): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("{http://www.w3.org/1999/xhtml}link")
        }
        for url in root
    }
    both = {"en": f"{SITE}/campaigns/civilians/", "ar": f"{SITE}/ar/campaigns/civilians/"}
    assert alternates[f"{SITE}/ar/campaigns/civilians/"] == {**both, "x-default": both["en"]}
    assert alternates[f"{SITE}/campaigns/civilians/"] == {**both, "x-default": both["en"]}
