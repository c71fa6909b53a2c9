import html
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import Signature, Statement
from tests.factories import make_organization, make_signatures, make_statement

pytestmark = pytest.mark.django_db

SITE = "https://statements.example.org"
IFRAME = (
    '<iframe src="https://statements.example.org/statements/{slug}/embed/" '
    'width="{width}" height="{height}" title="Statement: {title}" loading="lazy"></iframe>'
)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def make_embeddable(**fields) -> Statement:
    defaults = {
        "status": Statement.Status.PUBLISHED,
        "title": "Markets are not targets",
        "slug": "markets",
        "kind": Statement.Kind.URGENT_JOINT_STATEMENT,
        "dateline": "WASHINGTON, DC",
    }
    statement = make_statement(**(defaults | fields))
    Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Coalition for Civilian Protection", short_name="CCP"),
        role=Signature.Role.ISSUER,
    )
    return statement


def embed_url(statement: Statement) -> str:
    return reverse("statement_embed", args=[statement.slug])


def oembed(client, **params):
    return client.get(reverse("oembed"), params)


# The card


def test_the_card_shows_kind_headline_date_issuers_and_signatory_count(client):
    statement = make_embeddable()
    make_signatures(statement, 12)
    response = client.get(embed_url(statement))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Urgent joint statement",
        "Markets are not targets",
        "WASHINGTON, DC",
        "26 June 2024",
        "Issued by <bdi>CCP</bdi>",
        "Signed by 12 organizations",
    ]:
        assert text in page, text
    assert page.count('href="/statements/markets/" target="_blank" rel="noopener"') == 2
    assert '<meta name="robots" content="noindex">' in page
    # Its own page: none of the site around it.
    assert "navbar" not in page and "<script" not in page


def test_the_card_is_a_page_of_its_own_with_a_main_landmark_and_its_metadata(client):
    statement = make_embeddable(standfirst="Twelve organizations ask for one thing.")
    page = client.get(embed_url(statement)).content.decode()
    assert f'<link rel="canonical" href="{SITE}/statements/markets/">' in page
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert '<meta name="description" content="Twelve organizations ask for one thing.">' in page
    assert page.count("<main>") == page.count("</main>") == 1
    assert page.index("<main>") < page.index('<article class="card">')
    assert page.index("</article>") < page.index("</main>")
    # Both links open a new tab, and say so.
    assert page.count("</span></a>") == page.count(" (opens in a new tab)</span>") == 2


def test_the_card_says_when_a_statement_was_retracted(client):
    statement = make_embeddable()
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.RETRACTED, retracted_at=timezone.now(), retraction_note="Wrong."
    )
    assert "Retracted" in client.get(embed_url(statement)).content.decode()


def test_unpublished_statements_have_no_card(client):
    for status, extra in [
        (Statement.Status.DRAFT, {}),
        (Statement.Status.SIGNOFF, {}),
        (Statement.Status.SCHEDULED, {"publish_at": timezone.now()}),
    ]:
        statement = make_statement(status=status, **extra)
        assert client.get(embed_url(statement)).status_code == 404, status


def test_any_site_may_frame_the_card(client):
    response = client.get(embed_url(make_embeddable()))
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    # The rest of the policy stays as strict as everywhere else.
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_no_other_page_may_be_framed(client):
    statement = make_embeddable()
    for url in [statement.get_absolute_url(), reverse("home"), reverse("oembed")]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


@pytest.mark.parametrize("signatories", [1, 300])
def test_the_card_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_embeddable()
    make_signatures(statement, signatories)
    # the statement with its count of signatories, its issuers
    with django_assert_num_queries(2):
        response = client.get(embed_url(statement))
    assert f"Signed by {signatories} organization" in response.content.decode()


# oEmbed


def test_oembed_describes_a_statement_page_as_a_rich_embed(client):
    statement = make_embeddable(title='Bread & "water"', slug="bread")
    response = oembed(client, url=f"{SITE}/statements/bread/", format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "version": "1.0",
        "type": "rich",
        "title": 'Bread & "water"',
        "author_name": "Coalition for Civilian Protection",
        "provider_name": "Jointly",
        "provider_url": f"{SITE}/",
        "html": IFRAME.format(
            slug="bread", width=560, height=260, title="Bread &amp; &quot;water&quot;"
        ),
        "width": 560,
        "height": 260,
        "cache_age": 3600,
    }
    assert statement.get_absolute_url() == "/statements/bread/"


def test_oembed_honours_maxwidth_and_maxheight(client):
    make_embeddable()
    url = f"{SITE}/statements/markets/"
    data = oembed(client, url=url, maxwidth="400", maxheight="200").json()
    assert (data["width"], data["height"]) == (400, 200)
    assert 'width="400" height="200"' in data["html"]
    # Larger limits do not make the card larger than it is laid out for.
    data = oembed(client, url=url, maxwidth="2000", maxheight="900").json()
    assert (data["width"], data["height"]) == (560, 260)


def test_oembed_accepts_the_http_address_a_capitalized_host_and_a_query_string(client):
    make_embeddable()
    for url in [
        "http://statements.example.org/statements/markets/",
        "https://Statements.Example.org/statements/markets/?ref=x",
    ]:
        assert oembed(client, url=url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.org/statements/markets/",
        f"{SITE}/statements/no-such-statement/",
        f"{SITE}/statements/",
        f"{SITE}/campaigns/markets/",
        f"{SITE}/statements/markets/embed/",
        f"{SITE}/no/such/page/",
        f"{SITE}/statements/markets.pdf",
        "https://statements.example.org:8443/statements/markets/",
        "https://statements.example.org:port/statements/markets/",
        "http://[::1/statements/markets/",
        "ftp://statements.example.org/statements/markets/",
        "not a url",
    ],
)
def test_oembed_knows_nothing_but_public_statement_pages(client, url):
    make_embeddable()
    response = oembed(client, url=url)
    assert response.status_code == 404
    assert response.json() == {"error": "No public statement at this address."}


def test_oembed_knows_nothing_of_unpublished_statements(client):
    make_statement(slug="draft")
    make_statement(status=Statement.Status.SIGNOFF, slug="in-signoff")
    for slug in ["draft", "in-signoff"]:
        assert oembed(client, url=f"{SITE}/statements/{slug}/").status_code == 404


@pytest.mark.parametrize("fmt", ["xml", "yaml"])
def test_oembed_answers_501_to_formats_other_than_json(client, fmt):
    make_embeddable()
    response = oembed(client, url=f"{SITE}/statements/markets/", format=fmt)
    assert response.status_code == 501


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": ""},
        {"url": f"{SITE}/statements/markets/", "maxwidth": "wide"},
        {"url": f"{SITE}/statements/markets/", "maxwidth": "0"},
        {"url": f"{SITE}/statements/markets/", "maxheight": "-5"},
        {"url": f"{SITE}/statements/markets/", "maxheight": "1.5"},
        {"url": f"{SITE}/statements/markets/", "maxheight": "²"},
    ],
)
def test_oembed_refuses_bad_parameters_with_a_400(client, params):
    make_embeddable()
    response = client.get(reverse("oembed"), params)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("signatories", [1, 300])
def test_oembed_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_embeddable()
    make_signatures(statement, signatories)
    make_signatures(statement, 3, role=Signature.Role.ISSUER)
    # the statement, its issuers
    with django_assert_num_queries(2):
        response = oembed(client, url=f"{SITE}/statements/markets/")
    assert response.json()["author_name"].startswith("Coalition for Civilian Protection, ")


def test_the_statement_page_announces_its_oembed(client):
    statement = make_embeddable()
    page = client.get(statement.get_absolute_url()).content.decode()
    query = urlencode({"url": f"{SITE}/statements/markets/", "format": "json"})
    link = (
        f'<link rel="alternate" type="application/json+oembed" '
        f'href="{html.escape(f"{SITE}/oembed/?{query}")}" title="Markets are not targets">'
    )
    assert link in page


def test_a_staff_preview_of_a_draft_announces_no_oembed_nor_pdf(staff_client):
    draft = make_statement()
    page = staff_client.get(reverse("admin:statements_statement_preview", args=[draft.pk]))
    assert "json+oembed" not in page.content.decode()
    assert ".pdf" not in page.content.decode()


# The admin's embed code


def test_staff_find_the_embed_code_of_a_public_statement(staff_client):
    statement = make_embeddable()
    page = staff_client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    content = page.content.decode()
    code = IFRAME.format(slug="markets", width=560, height=260, title="Markets are not targets")
    # In a textarea the code is escaped once more, so that it shows as written.
    assert f'readonly aria-label="Embed code">{html.escape(code)}</textarea>' in content
    assert 'data-copy="embed-code">Copy the code</button>' in content
    assert "/static/js/admin-copy.js" in content


def test_staff_are_told_a_draft_can_be_embedded_once_published(staff_client):
    draft = make_statement()
    content = staff_client.get(
        reverse("admin:statements_statement_change", args=[draft.pk])
    ).content.decode()
    assert "Shown once the statement is published" in content
    assert '<textarea id="embed-code"' not in content
