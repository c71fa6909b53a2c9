import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import Signature, Statement
from tests.factories import make_campaign, make_organization, make_signatures, make_statement

pytestmark = pytest.mark.django_db

SITE = "https://statements.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def rss_items(client, url) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("channel/item")


def atom_entries(client, url) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def rss_titles(client, url) -> list[str]:
    return [item.findtext("title") for item in rss_items(client, url)]


def atom_titles(client, url) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in atom_entries(client, url)]


def make_every_status(**fields) -> dict[str, Statement]:
    """One statement in each state, titled after it."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    extra = {Statement.Status.SCHEDULED: {"publish_at": tomorrow}}
    return {
        status: make_statement(
            status=status, title=f"The {status} one", **extra.get(status, {}), **fields
        )
        for status in Statement.Status
    }


PUBLIC_TITLES = {"The published one", "The archived one", "The retracted one"}


def test_the_rss_feed_lists_public_statements_and_never_unpublished_ones(client):
    make_every_status()
    assert set(rss_titles(client, reverse("feed_rss"))) == PUBLIC_TITLES


def test_the_atom_feed_lists_public_statements_and_never_unpublished_ones(client):
    make_every_status()
    assert set(atom_titles(client, reverse("feed_atom"))) == PUBLIC_TITLES


def test_an_rss_item_carries_link_description_dates_authors_categories_and_a_stable_id(client):
    campaign = make_campaign(title="Protect civilians")
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        title="Markets are not targets",
        slug="markets-are-not-targets",
        standfirst="Eight organizations <speak> together.",
        kind=Statement.Kind.URGENT_JOINT_STATEMENT,
        campaign=campaign,
        published_at=datetime.datetime(2024, 6, 26, 9, 30, tzinfo=datetime.UTC),
    )
    for name in ["Coalition A", "Coalition B"]:
        Signature.objects.create(
            statement=statement,
            organization=make_organization(name=name),
            role=Signature.Role.ISSUER,
        )
    make_signatures(statement, 3)

    [item] = rss_items(client, reverse("feed_rss"))

    assert item.findtext("link") == f"{SITE}/statements/markets-are-not-targets/"
    assert item.findtext("description") == (
        "<p>Eight organizations &lt;speak&gt; together.</p><p>Signed by 3 organizations</p>"
    )
    assert item.findtext("pubDate") == "Wed, 26 Jun 2024 09:30:00 +0000"
    assert item.findtext(f"{DC}creator") == "Coalition A, Coalition B"
    assert [c.text for c in item.findall("category")] == [
        "Urgent joint statement",
        "Protect civilians",
    ]
    guid = item.find("guid")
    assert guid.text == f"tag:statements.example.org,2024-06-26:statement:{statement.pk}"
    assert guid.get("isPermaLink") == "false"


def test_an_atom_entry_has_plain_text_title_and_absolute_links(client):
    statement = make_statement(status=Statement.Status.PUBLISHED, title="Bread & water")
    response = client.get(reverse("feed_atom"))
    root = ET.fromstring(response.content)
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{SITE}/feeds/statements.atom"
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Bread & water"
    link = entry.find(f"{ATOM}link")
    assert link.get("href") == f"{SITE}{statement.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}updated")


def test_links_use_site_url_whatever_host_the_request_came_in_on(client, settings):
    settings.ALLOWED_HOSTS = ["internal.example"]
    make_statement(status=Statement.Status.PUBLISHED, slug="one")
    response = client.get(reverse("feed_rss"), HTTP_HOST="internal.example")
    root = ET.fromstring(response.content)
    assert root.findtext("channel/link") == f"{SITE}/statements/"
    assert root.findtext("channel/item/link") == f"{SITE}/statements/one/"
    assert b"internal.example" not in response.content


def test_the_feed_holds_the_latest_fifty_newest_publication_first(client):
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for n in range(52):
        make_statement(
            status=Statement.Status.PUBLISHED,
            title=f"Number {n}",
            published_at=start + datetime.timedelta(days=n),
        )
    titles = rss_titles(client, reverse("feed_rss"))
    assert len(titles) == 50
    assert titles[0] == "Number 51"
    assert titles[-1] == "Number 2"


def test_a_campaign_feed_lists_only_its_public_statements(client):
    campaign = make_campaign(slug="civilians")
    make_every_status(campaign=campaign)
    make_statement(status=Statement.Status.PUBLISHED, title="Another campaign's")
    url = reverse("campaign_feed_rss", args=["civilians"])
    assert set(rss_titles(client, url)) == PUBLIC_TITLES
    atom_url = reverse("campaign_feed_atom", args=["civilians"])
    assert set(atom_titles(client, atom_url)) == PUBLIC_TITLES


def test_an_unknown_campaign_has_no_feed(client):
    assert client.get(reverse("campaign_feed_rss", args=["nope"])).status_code == 404


def test_an_organization_feed_lists_what_it_issued_or_signed_in_public(client):
    organization = make_organization(slug="ccp")
    for status, statement in make_every_status().items():
        role = Signature.Role.ISSUER if status == "published" else Signature.Role.SIGNATORY
        Signature.objects.create(statement=statement, organization=organization, role=role)
    make_statement(status=Statement.Status.PUBLISHED, title="Someone else's")
    pending = make_statement(status=Statement.Status.PUBLISHED, title="Not approved yet")
    Signature.objects.create(
        statement=pending,
        organization=organization,
        state=Signature.State.CONFIRMED,
        source=Signature.Source.FORM,
        signer_email="a@example.org",
    )
    assert set(rss_titles(client, reverse("organization_feed_rss", args=["ccp"]))) == PUBLIC_TITLES
    assert set(atom_titles(client, reverse("organization_feed_atom", args=["ccp"]))) == (
        PUBLIC_TITLES
    )


def test_an_organization_known_only_from_drafts_has_no_feed(client):
    organization = make_organization(slug="secret")
    Signature.objects.create(statement=make_statement(), organization=organization)
    for name in ["organization_feed_rss", "organization_feed_atom"]:
        assert client.get(reverse(name, args=["secret"])).status_code == 404


def test_pages_announce_their_feeds(client):
    campaign = make_campaign(slug="civilians", title="Protect civilians")
    organization = make_organization(slug="ccp", name="CCP")
    statement = make_statement(status=Statement.Status.PUBLISHED, campaign=campaign)
    Signature.objects.create(statement=statement, organization=organization)
    everything = ("Jointly: joint statements", "/feeds/statements")
    pages = {
        reverse("home"): everything,
        reverse("statement_list"): everything,
        campaign.get_absolute_url(): ("Jointly: Protect civilians", "/campaigns/civilians/feed"),
        organization.get_absolute_url(): ("Jointly: statements of CCP", "/organizations/ccp/feed"),
    }
    for url, (title, feed) in pages.items():
        html = client.get(url).content.decode()
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="{title} (RSS)" '
            f'href="{feed}.rss">'
        ) in html, url
        assert (
            f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" '
            f'href="{feed}.atom">'
        ) in html, url


@pytest.mark.parametrize("signatories", [1, 200])
def test_feeds_cost_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    campaign = make_campaign(slug="civilians")
    organization = make_organization(slug="ccp")
    for _ in range(5):
        statement = make_statement(status=Statement.Status.PUBLISHED, campaign=campaign)
        make_signatures(statement, 2, role=Signature.Role.ISSUER)
        make_signatures(statement, signatories)
        Signature.objects.create(statement=statement, organization=organization)
    # statements, their issuers, their updates
    for name in ["feed_rss", "feed_atom"]:
        with django_assert_num_queries(3):
            assert len(rss_or_atom(client, reverse(name))) == 5
    # the campaign, statements, their issuers, their updates
    for name in ["campaign_feed_rss", "campaign_feed_atom"]:
        with django_assert_num_queries(4):
            assert len(rss_or_atom(client, reverse(name, args=["civilians"]))) == 5
    # the organization, whether it has a public statement, statements, their issuers,
    # their updates
    for name in ["organization_feed_rss", "organization_feed_atom"]:
        with django_assert_num_queries(5):
            assert len(rss_or_atom(client, reverse(name, args=["ccp"]))) == 5


def rss_or_atom(client, url) -> list[ET.Element]:
    return atom_entries(client, url) if url.endswith(".atom") else rss_items(client, url)


@pytest.mark.parametrize("kind", ["organization", "campaign"])
def test_a_channel_title_and_description_are_escaped_like_the_items(client, kind):
    name = "Bread & <b>Water</b>"
    if kind == "organization":
        organization = make_organization(name=name)
        statement = make_statement(status=Statement.Status.PUBLISHED, title=name)
        Signature.objects.create(
            statement=statement, organization=organization, role=Signature.Role.ISSUER
        )
        rss, atom = "organization_feed_rss", "organization_feed_atom"
        slug, description = organization.slug, f"Joint statements issued or signed by {name}."
    else:
        campaign = make_campaign(title=name, summary=f"About {name}")
        make_statement(status=Statement.Status.PUBLISHED, title=name, campaign=campaign)
        rss, atom = "campaign_feed_rss", "campaign_feed_atom"
        slug, description = campaign.slug, f"About {name}"
    escaped = "Bread &amp; &lt;b&gt;Water&lt;/b&gt;"

    # RSS readers take these for HTML: the channel's are escaped as its items' are.
    channel = ET.fromstring(client.get(reverse(rss, args=[slug])).content).find("channel")
    title = channel.findtext("title")
    assert title.endswith(escaped)
    assert channel.findtext("item/title") == escaped
    assert channel.findtext("description") == description.replace(name, escaped)
    # Atom says which are text: they are plain.
    feed = ET.fromstring(client.get(reverse(atom, args=[slug])).content)
    assert feed.findtext(f"{ATOM}title") == title.replace(escaped, name)
    assert feed.findtext(f"{ATOM}subtitle") == description
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == name


def test_a_statement_without_a_standfirst_is_described_by_the_start_of_its_body(client):
    make_statement(status=Statement.Status.PUBLISHED, standfirst="", body="The *first* words.")
    assert (
        "<description>&lt;p&gt;The first words.&lt;/p&gt;</description>"
        in client.get("/feeds/statements.rss").content.decode()
    )
