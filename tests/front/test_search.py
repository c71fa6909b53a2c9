import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from statements.models import Demand, Signature, Statement
from tests.factories import make_campaign, make_organization, make_signatures, make_statement

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED
ON_POSTGRESQL = connection.vendor == "postgresql"


def found(client, query, **params) -> list[str]:
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return [s.title for s in response.context["page"]]


def test_a_match_in_the_headline_ranks_above_a_match_in_the_body(client):
    make_statement(
        status=PUBLISHED,
        title="Statement on the crossings",
        body="The ceasefire must hold.",
        release_date=datetime.date(2024, 7, 1),
    )
    make_statement(
        status=PUBLISHED,
        title="Ceasefire now",
        body="We speak together.",
        release_date=datetime.date(2023, 1, 1),
    )
    make_statement(status=PUBLISHED, title="Unrelated", body="Nothing to see.")
    assert found(client, "ceasefire") == ["Ceasefire now", "Statement on the crossings"]


def test_every_word_of_the_query_must_match(client):
    make_statement(status=PUBLISHED, title="Market strike", body="Civilians were killed.")
    make_statement(status=PUBLISHED, title="Market reopens", body="Trade resumed.")
    assert found(client, "market civilians") == ["Market strike"]


def test_the_standfirst_and_demands_are_searched_too(client):
    make_statement(status=PUBLISHED, title="First", standfirst="Aid convoys are blocked.")
    with_demand = make_statement(status=PUBLISHED, title="Second")
    Demand.objects.create(statement=with_demand, heading="Access", text="Reopen the crossings.")
    assert found(client, "convoys") == ["First"]
    assert found(client, "crossings") == ["Second"]


def test_statements_in_french_and_arabic_are_found_in_their_words(client):
    make_statement(
        status=PUBLISHED, language="fr", title="Les frappes contre les civils doivent cesser"
    )
    make_statement(status=PUBLISHED, language="ar", title="وقف إطلاق النار في غزة", slug="غزة")
    assert found(client, "frappes civils") == ["Les frappes contre les civils doivent cesser"]
    assert found(client, "غزة") == ["وقف إطلاق النار في غزة"]


def test_on_postgresql_words_are_matched_by_their_stem_in_the_statement_language(client):
    make_statement(status=PUBLISHED, title="Strikes on hospitals")
    make_statement(status=PUBLISHED, language="fr", title="La frappe sur l'hôpital")
    # SQLite has no full-text search: its fallback matches letters, not stems,
    # and would find "strike" in "Strikes" but not "striking" in it.
    expected_striking = ["Strikes on hospitals"] if ON_POSTGRESQL else []
    assert found(client, "striking") == expected_striking
    assert found(client, "frappes") == (["La frappe sur l'hôpital"] if ON_POSTGRESQL else [])


def test_drafts_and_statements_awaiting_publication_are_never_found(client):
    make_statement(title="Ceasefire draft")
    make_statement(status=Statement.Status.SIGNOFF, title="Ceasefire in sign-off")
    make_statement(
        status=Statement.Status.SCHEDULED,
        title="Ceasefire scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_statement(status=Statement.Status.ARCHIVED, title="Ceasefire archived")
    make_statement(status=Statement.Status.RETRACTED, title="Ceasefire retracted")
    response = client.get(reverse("search"), {"q": "ceasefire"})
    assert sorted(s.title for s in response.context["page"]) == [
        "Ceasefire archived",
        "Ceasefire retracted",
    ]
    assert "draft" not in response.content.decode().lower()


def test_an_overlong_query_is_a_clear_400(client):
    response = client.get(reverse("search"), {"q": "x" * 201})
    assert response.status_code == 400
    assert "Search for at most 200 characters (this is 201)." in response.content.decode()
    assert response.context["page"] is None


def test_a_query_of_200_characters_is_searched(client):
    make_statement(status=PUBLISHED, title="Ceasefire")
    assert found(client, "ceasefire " + "x" * 190) == []


def test_an_empty_query_shows_the_form_without_touching_the_database(
    client, django_assert_num_queries
):
    for params in ({}, {"q": ""}, {"q": "   "}):
        with django_assert_num_queries(0):
            response = client.get(reverse("search"), params)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="q"' in html
        assert "match" not in html


def test_a_search_that_finds_nothing_says_so(client):
    make_statement(status=PUBLISHED, title="Ceasefire")
    response = client.get(reverse("search"), {"q": "hospitals"})
    html = response.content.decode()
    assert "0 statements match “<bdi>hospitals</bdi>”." in html
    assert "Try other words, or fewer of them." in html


def test_punctuation_alone_finds_nothing_and_does_not_fail(client):
    make_statement(status=PUBLISHED, title="Ceasefire")
    for query in ["!!!", "'", '"', "-", "( ) & | :*", "\\"]:
        assert found(client, query) == [], query


def test_results_are_twenty_a_page(client):
    for day in range(1, 23):
        make_statement(
            status=PUBLISHED,
            title=f"Ceasefire day {day:02}",
            release_date=datetime.date(2024, 1, day),
        )
    first = found(client, "ceasefire")
    assert len(first) == 20
    assert first[0] == "Ceasefire day 22"
    assert found(client, "ceasefire", page=2) == ["Ceasefire day 02", "Ceasefire day 01"]
    for page in ("3", "x", "0", "99999999999999999999"):
        response = client.get(reverse("search"), {"q": "ceasefire", "page": page})
        assert response.status_code == 404


def test_a_result_shows_its_kind_date_issuers_and_an_excerpt(client):
    statement = make_statement(
        status=PUBLISHED,
        kind=Statement.Kind.PRESS_RELEASE,
        title="Hospitals are not targets",
        release_date=datetime.date(2024, 6, 26),
        body="The **ceasefire** must hold. <img src=x onerror=alert(1)> Aid & access.",
    )
    issuer = make_organization(name="Coalition for Civilian Protection", short_name="CCP")
    Signature.objects.create(statement=statement, organization=issuer, role=Signature.Role.ISSUER)
    html = client.get(reverse("search"), {"q": "ceasefire"}).content.decode()
    assert "Press release" in html
    assert "26 June 2024" in html
    assert "Issued by <bdi>CCP</bdi>" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; Aid &amp; access" in html
    # Only PostgreSQL can cut an excerpt around the matched words.
    if ON_POSTGRESQL:
        assert "<mark>ceasefire</mark> must hold." in html
    else:
        assert "The ceasefire must hold." in html


def test_the_results_page_asks_search_engines_not_to_index_it(client):
    html = client.get(reverse("search"), {"q": "anything"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_every_public_page_has_the_search_form_in_its_header(client):
    campaign = make_campaign()
    statement = make_statement(status=PUBLISHED, campaign=campaign)
    organization = make_organization()
    Signature.objects.create(statement=statement, organization=organization)
    pages = [
        reverse("home"),
        reverse("statement_list"),
        statement.get_absolute_url(),
        campaign.get_absolute_url(),
        organization.get_absolute_url(),
        reverse("search"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert '<form class="site-search' in header, url
        assert 'role="search" method="get" action="/search/"' in header, url
        assert '<label class="visually-hidden" for="site-search-q">' in header, url
        assert "csrfmiddlewaretoken" not in header, url


@pytest.mark.parametrize("statements", [1, 30])
def test_the_search_costs_the_same_queries_however_many_match(
    client, django_assert_num_queries, statements
):
    for _ in range(statements):
        statement = make_statement(status=PUBLISHED, title="Ceasefire now")
        make_signatures(statement, 3, role=Signature.Role.ISSUER)
        Demand.objects.create(statement=statement, heading="Ceasefire", text="Stop.")
    # count, page, issuers
    with django_assert_num_queries(3):
        response = client.get(reverse("search"), {"q": "ceasefire"})
    assert len(response.context["page"]) == min(statements, 20)


def test_searches_past_the_rate_from_one_address_are_a_clear_429(client, settings):
    settings.SEARCH_RATE_PER_IP = "2/m"
    make_statement(status=PUBLISHED, title="Ceasefire")
    # The empty form costs nothing and is not counted.
    assert client.get(reverse("search")).status_code == 200
    assert found(client, "ceasefire") == ["Ceasefire"]
    assert found(client, "ceasefire") == ["Ceasefire"]
    response = client.get(reverse("search"), {"q": "ceasefire"})
    assert response.status_code == 429
    assert "many searches from your address" in response.content.decode()
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]
