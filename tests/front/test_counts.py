"""How many signed, organizations and individuals, in every place a release's count is
shown: the share image, the embed card, the archive, campaign and organization pages,
the feeds, the API and the press release email; and the API's list of both tiers."""

import datetime
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from organizations.models import PressList
from press import services as press
from statements.counts import signed_by_text as signed_by
from statements.models import Signature, Statement
from tests.factories import (
    make_campaign,
    make_distribution,
    make_individuals,
    make_journalists,
    make_organization,
    make_signatures,
    make_staff,
    make_statement,
)
from tests.front.test_sharing import Head

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED
BOTH = "Signed by 2 organizations and 3 individuals"
BOTH_AR = "موقَّع من منظمتين و3 أفراد"

# Arabic has six plural forms: 0, 1, 2, 3 to 10, 11 to 99, and 100 (and 0 past it).
ORGANIZATIONS_AR = {
    0: "0 منظمة",
    1: "منظمة واحدة",
    2: "منظمتين",
    3: "3 منظمات",
    11: "11 منظمةً",
    100: "100 منظمة",
}
INDIVIDUALS_AR = {
    0: "0 فرد",
    1: "فرد واحد",
    2: "فردين",
    3: "3 أفراد",
    11: "11 فردًا",
    100: "100 فرد",
}


def english(organizations: int, individuals: int) -> str:
    parts = []
    if organizations:
        parts.append(f"{organizations} organization{'' if organizations == 1 else 's'}")
    if individuals:
        parts.append(f"{individuals} individual{'' if individuals == 1 else 's'}")
    return "Signed by " + " and ".join(parts) if parts else ""


def arabic(organizations: int, individuals: int) -> str:
    parts = []
    if organizations:
        parts.append(ORGANIZATIONS_AR[organizations])
    if individuals:
        parts.append(INDIVIDUALS_AR[individuals])
    return "موقَّع من " + " و".join(parts) if parts else ""


@pytest.mark.parametrize("n", [0, 1, 2, 3, 11, 100])
@pytest.mark.parametrize(
    "counts", [lambda n: (n, n), lambda n: (n, 0), lambda n: (0, n), lambda n: (n, 3)]
)
def test_each_count_reads_right_in_english_and_in_each_arabic_plural_form(n, counts):
    organizations, individuals = counts(n)
    given = {"organizations": organizations, "individuals": individuals}
    with translation.override("en"):
        assert signed_by(given) == english(organizations, individuals)
    with translation.override("ar"):
        assert signed_by(given) == arabic(organizations, individuals)


def signed_statement(**fields) -> Statement:
    """A published statement with an issuer, 2 organizations and 3 individuals that
    signed, and what is not listed: a pending organization and a withdrawn person."""
    statement = make_statement(status=PUBLISHED, **fields)
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 2)
    make_individuals(statement, 3)
    [pending] = make_signatures(statement, 1)
    [withdrawn] = make_individuals(statement, 1)
    Signature.objects.filter(pk=pending.pk).update(state=Signature.State.CONFIRMED)
    Signature.objects.filter(pk=withdrawn.pk).update(state=Signature.State.WITHDRAWN)
    return statement


def arabic_statement() -> Statement:
    return signed_statement(language="ar", title="بيان", slug="bayan")


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# The share image.


def share_image_path(client, statement: Statement) -> str:
    return urlsplit(Head(page(client, statement.get_absolute_url())).meta["og:image"]).path


def test_the_share_card_says_both_counts_and_a_new_individual_gives_a_new_image(client):
    statement = signed_statement(title="Open the crossings")
    head = Head(page(client, statement.get_absolute_url()))
    assert head.meta["og:image:alt"] == f"Joint statement: Open the crossings. 26 June 2024. {BOTH}"
    before = share_image_path(client, statement)
    old_image = client.get(before).content

    make_individuals(statement, 1)

    after = share_image_path(client, statement)
    assert after != before
    assert "4 individuals" in Head(page(client, statement.get_absolute_url())).meta["og:image:alt"]
    response = client.get(after)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content != old_image
    # Shared before the individual joined: the current card stands in.
    assert client.get(before)["Location"] == after


def test_the_share_card_of_an_arabic_statement_counts_in_arabic(client):
    statement = arabic_statement()
    alt = Head(page(client, statement.get_absolute_url())).meta["og:image:alt"]
    assert alt.endswith(BOTH_AR)


@pytest.mark.parametrize("individuals", [1, 500])
def test_the_share_image_costs_the_same_queries_however_many_individuals_signed(
    client, django_assert_num_queries, individuals
):
    statement = make_statement(status=PUBLISHED)
    make_individuals(statement, individuals)
    path = share_image_path(client, statement)
    # the statement, the counts of listed signatories
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


# The embed card.


def test_the_embed_card_says_both_counts(client, django_assert_num_queries):
    statement = signed_statement()
    # the statement, its issuers and counts
    with django_assert_num_queries(2):
        html = page(client, f"/statements/{statement.slug}/embed/")
    assert f"<span>{BOTH}</span>" in html


def test_the_embed_card_of_an_arabic_statement_counts_in_arabic(client):
    arabic_statement()
    assert f"<span>{BOTH_AR}</span>" in page(client, "/statements/bayan/embed/")


def test_an_embed_card_of_individuals_alone_counts_them_alone(client):
    statement = make_statement(status=PUBLISHED)
    make_individuals(statement, 11)
    assert "<span>Signed by 11 individuals</span>" in page(
        client, f"/statements/{statement.slug}/embed/"
    )


# The archive, campaign and organization pages.


def card_of(html: str, title: str) -> str:
    card = html[html.index(title) :]
    return card[: card.index("</article>")]


def test_an_archive_card_says_both_counts(client):
    signed_statement(title="With issuers")
    named = make_statement(status=PUBLISHED, title="Without issuers")
    for name in ["Alpha Aid", "Bravo Aid", "Charlie Aid", "Delta Aid"]:
        Signature.objects.create(
            statement=named, organization=make_organization(name=name, short_name="")
        )
    make_individuals(named, 2)
    alone = make_statement(status=PUBLISHED, title="Only people")
    make_individuals(alone, 1)

    html = page(client, "/statements/")

    assert f'<span class="counts">{BOTH}</span>' in card_of(html, "With issuers")
    assert (
        "Signed by <bdi>Alpha Aid</bdi>, <bdi>Bravo Aid</bdi>, <bdi>Charlie Aid</bdi> and 1 other"
        '</span> · <span class="counts">4 organizations and 2 individuals</span>'
    ) in card_of(html, "Without issuers")
    assert '<span class="counts">Signed by 1 individual</span>' in card_of(html, "Only people")


def test_an_archive_card_in_arabic_counts_in_arabic(client):
    arabic_statement()
    assert BOTH_AR in card_of(page(client, "/ar/statements/"), "بيان")


@pytest.mark.parametrize("individuals", [1, 40])
def test_archive_cards_cost_the_same_queries_however_many_individuals_signed(
    client, django_assert_num_queries, individuals
):
    for _ in range(8):
        make_individuals(make_statement(status=PUBLISHED), individuals)
    # statements, their issuers, first signatories and counts, campaigns
    with django_assert_num_queries(3):
        html = page(client, "/")
    assert html.count(english(0, individuals)) == 6


def test_the_campaign_timeline_counts_organizations_and_individuals(client):
    campaign = make_campaign(slug="c")
    signed_statement(campaign=campaign)
    # Organizations counted with their issuers: all who took part.
    assert "3 organizations and 3 individuals</p>" in page(client, "/campaigns/c/")
    assert "3 منظمات و3 أفراد</p>" in page(client, "/ar/campaigns/c/")


def test_the_organization_page_counts_who_signed_each_statement(client):
    statement = signed_statement(title="Listed")
    organization = statement.signatures.filter(role=Signature.Role.ISSUER).get().organization
    html = page(client, organization.get_absolute_url())
    assert f"26 June 2024</time> · {BOTH}</span></li>" in html


# The feeds.


def test_a_feed_entry_says_both_counts(client):
    signed_statement(standfirst="Together.")
    root = ET.fromstring(client.get("/feeds/statements.rss").content)
    assert root.findtext("channel/item/description") == f"<p>Together.</p><p>{BOTH}</p>"
    atom = ET.fromstring(client.get("/feeds/statements.atom").content)
    summary = atom.findtext(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary"
    )
    assert summary == f"<p>Together.</p><p>{BOTH}</p>"


def test_an_arabic_feed_entry_counts_in_arabic(client):
    arabic_statement()
    root = ET.fromstring(client.get("/ar/feeds/statements.rss").content)
    assert root.findtext("channel/item/description").endswith(f"<p>{BOTH_AR}</p>")


# The API's statements.


def test_api_statements_carry_both_counts_in_the_list_and_the_detail(client):
    statement = signed_statement()
    expected = {"organizations": 2, "individuals": 3}
    [listed] = client.get("/api/statements/").json()["results"]
    assert listed["signatory_counts"] == expected
    detail = client.get(f"/api/statements/{statement.slug}/").json()
    assert detail["signatory_counts"] == expected
    # The detail lists organizations; individuals are a page of their own away.
    assert [s["kind"] for s in detail["signatories"]] == ["organization"] * 2


@pytest.mark.parametrize("individuals", [1, 200])
def test_the_api_list_costs_the_same_queries_however_many_individuals_signed(
    client, django_assert_num_queries, individuals
):
    for _ in range(5):
        make_individuals(make_statement(status=PUBLISHED), individuals)
    # count, page, issuers with the counts
    with django_assert_num_queries(3):
        results = client.get("/api/statements/").json()["results"]
    assert [s["signatory_counts"]["individuals"] for s in results] == [individuals] * 5


# The API's signatories.


def signatories(client, slug: str, **params) -> dict:
    response = client.get(f"/api/statements/{slug}/signatories/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_lists_issuers_organizations_then_individuals_with_their_kind(client):
    statement = make_statement(
        status=PUBLISHED,
        slug="both",
        signers=Statement.Signers.EVERYONE,
        published_at=datetime.datetime(2024, 6, 26, 9, tzinfo=datetime.UTC),
    )
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 2)
    late = datetime.datetime(2024, 7, 1, 12, tzinfo=datetime.UTC)
    [person] = make_individuals(
        statement,
        1,
        signer_name="Rana Haddad",
        sort_key="Haddad, Rana",
        signer_title="Professor",
        affiliation="University of Aleppo",
        signer_country="SY",
        signer_email="rana.haddad@example.org",
        person_key="rana.haddad@example.org",
        decided_at=late,
    )
    make_individuals(
        statement,
        1,
        signer_name="Adam Smith",
        sort_key="Smith, Adam",
        signer_email="adam.smith@example.org",
        person_key="adam.smith@example.org",
    )

    response = client.get("/api/statements/both/signatories/")
    data = response.json()

    assert data["count"] == 5
    assert [(s["kind"], s["role"]) for s in data["results"]] == [
        ("organization", "issuer"),
        ("organization", "signatory"),
        ("organization", "signatory"),
        ("individual", "signatory"),
        ("individual", "signatory"),
    ]
    assert data["results"][3] == {
        "kind": "individual",
        "role": "signatory",
        "name": "Rana Haddad",
        "title": "Professor",
        "affiliation": "University of Aleppo",
        "country": "SY",
        "joined_on": "2024-07-01",
        "pinned": False,
    }
    assert data["results"][4]["name"] == "Adam Smith"
    organization = data["results"][1]
    assert set(organization) == {
        "kind", "name", "short_name", "slug", "url", "country", "role", "joined_on",
        "pinned", "group",
    }  # fmt: skip
    assert organization["joined_on"] is None
    # Never a person's email, nor an address for them.
    body = response.content.decode()
    for email in Signature.objects.values_list("signer_email", flat=True):
        assert not email or email not in body
    assert "rana.haddad@example.org" not in body and person.signer_email not in body
    assert "rana.haddad@example.org" not in json.dumps(
        client.get("/api/statements/both/").json()
    ) + json.dumps(client.get("/api/statements/").json())


def test_the_api_pages_both_tiers_as_one_sequence_and_each_on_its_own(client):
    statement = make_statement(status=PUBLISHED, slug="paged")
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 4)
    make_individuals(statement, 7)
    url = "/api/statements/paged/signatories/"

    kinds = []
    for number in (1, 2, 3):
        data = signatories(client, "paged", page_size=4, page=number)
        assert data["count"] == 12
        kinds.append([s["kind"] for s in data["results"]])
    assert kinds == [
        ["organization"] * 4,
        ["organization"] + ["individual"] * 3,
        ["individual"] * 4,
    ]
    assert data["next"] is None
    assert data["previous"] == f"{settings.SITE_URL}{url}?page_size=4&page=2"

    people = signatories(client, "paged", kind="individual", page_size=5)
    assert people["count"] == 7
    assert [s["kind"] for s in people["results"]] == ["individual"] * 5
    assert people["next"] == f"{settings.SITE_URL}{url}?kind=individual&page_size=5&page=2"
    assert len(signatories(client, "paged", kind="individual", page_size=5, page=2)["results"]) == 2
    organizations = signatories(client, "paged", kind="organization")
    assert organizations["count"] == 5
    assert {s["kind"] for s in organizations["results"]} == {"organization"}


def test_the_api_refuses_a_kind_it_does_not_know_and_a_page_past_the_last(client):
    statement = make_statement(status=PUBLISHED, slug="few")
    make_individuals(statement, 2)
    response = client.get("/api/statements/few/signatories/", {"kind": "robot"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "kind"]
    response = client.get("/api/statements/few/signatories/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "No page 2: the last is 1."}


@pytest.fixture
def crowd():
    """A statement with an issuer, 2 organizations and 5,000 individuals."""
    statement = make_statement(status=PUBLISHED, slug="crowd")
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 2)
    make_individuals(statement, 5000)
    return statement


@pytest.fixture
def few():
    statement = make_statement(status=PUBLISHED, slug="crowd")
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 2)
    make_individuals(statement, 200)
    return statement


@pytest.mark.parametrize("signed", ["few", "crowd"])
def test_a_page_of_signatories_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, request, signed
):
    statement = request.getfixturevalue(signed)
    total = statement.signatures.count()
    # the statement, the count of each tier, the organizations, the individuals
    with django_assert_num_queries(4):
        first = signatories(client, "crowd", page_size=100)
    assert first["count"] == total
    assert [s["kind"] for s in first["results"][2:4]] == ["organization", "individual"]
    # the statement, the counts, the individuals
    with django_assert_num_queries(3):
        second = signatories(client, "crowd", page_size=100, page=2)
    assert len(second["results"]) == 100
    with django_assert_num_queries(3):
        people = signatories(client, "crowd", kind="individual", page_size=100, page=2)
    assert people["count"] == total - 3
    # the statement, the counts, the organizations
    with django_assert_num_queries(3):
        signatories(client, "crowd", kind="organization")


# The press release email.


def test_the_press_release_names_the_organizations_and_counts_everyone(
    django_capture_on_commit_callbacks,
):
    statement = signed_statement()
    desk = PressList.objects.create(name="Desk")
    english_desk, arabic_desk = make_journalists(2, desk)
    arabic_desk.language = "ar"
    arabic_desk.save()
    names = "; ".join(
        statement.signatures.filter(state=Signature.State.APPROVED, role=Signature.Role.SIGNATORY)
        .order_by("organization__name")
        .values_list("organization__name", flat=True)
        .exclude(organization=None)
    )

    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(
            distribution=make_distribution(statement, lists=[desk]), by=make_staff()
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([english_desk.email, arabic_desk.email])
    sent = {m.to[0]: m for m in mail.outbox}
    to_english = sent[english_desk.email]
    assert f"Signed by: {names}\n{BOTH}\n" in to_english.body
    [(html, _mimetype)] = to_english.alternatives
    assert f"<p>{BOTH}</p>" in html
    to_arabic = sent[arabic_desk.email]
    assert f"{names}\n{BOTH_AR}\n" in to_arabic.body


def test_a_press_release_signed_by_organizations_alone_only_names_them(
    django_capture_on_commit_callbacks,
):
    statement = make_statement(status=PUBLISHED)
    make_signatures(statement, 2)
    desk = PressList.objects.create(name="Desk")
    make_journalists(1, desk)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(
            distribution=make_distribution(statement, lists=[desk]), by=make_staff()
        )
    [message] = mail.outbox
    assert "Signed by: " in message.body
    assert "Signed by 2" not in message.body
