import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from openapi_spec_validator import validate

from campaigns.models import CallToAction
from statements.models import Signature, Statement
from tests.factories import (
    make_call_to_action,
    make_campaign,
    make_full_statement,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED


def site(path: str) -> str:
    return settings.SITE_URL + path


def test_the_list_is_paginated_with_its_count_and_the_pages_around(client):
    for day in range(1, 26):
        make_statement(
            status=PUBLISHED, title=f"Day {day:02}", release_date=datetime.date(2024, 1, day)
        )
    first = client.get("/api/statements/").json()
    assert first["count"] == 25
    assert [s["title"] for s in first["results"]][:2] == ["Day 25", "Day 24"]
    assert len(first["results"]) == 20
    assert first["next"] == site("/api/statements/?page=2")
    assert first["previous"] is None
    second = client.get("/api/statements/", {"page": 2}).json()
    assert [s["title"] for s in second["results"]] == [f"Day {d:02}" for d in range(5, 0, -1)]
    assert second["next"] is None
    assert second["previous"] == site("/api/statements/?page=1")


def test_a_page_holds_at_most_100_items(client):
    statement = make_statement(status=PUBLISHED)
    make_signatures(statement, 105)
    url = f"/api/statements/{statement.slug}/signatories/"
    page = client.get(url, {"page_size": 1000}).json()
    assert page["count"] == 105
    assert len(page["results"]) == 100
    assert page["next"] == site(f"{url}?page_size=1000&page=2")
    assert len(client.get(url, {"page_size": 1000, "page": 2}).json()["results"]) == 5
    assert len(client.get(url, {"page_size": 7}).json()["results"]) == 7


def test_a_page_that_cannot_be_is_a_clear_4xx(client):
    make_statement(status=PUBLISHED)
    for params in ({"page": 0}, {"page": "x"}, {"page_size": 0}, {"page_size": "many"}):
        response = client.get("/api/statements/", params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"][0] == "query", params
    response = client.get("/api/statements/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "No page 2: the last is 1."}


def test_an_overlong_search_is_a_clear_422(client):
    response = client.get("/api/statements/", {"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "String should have at most 200 characters"


def test_only_public_statements_are_listed(client):
    make_statement(title="Draft")
    make_statement(status=Statement.Status.SIGNOFF, title="In sign-off")
    make_statement(
        status=Statement.Status.SCHEDULED,
        title="Scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_statement(status=PUBLISHED, title="Published", release_date=datetime.date(2024, 3, 1))
    make_statement(
        status=Statement.Status.ARCHIVED, title="Archived", release_date=datetime.date(2024, 2, 1)
    )
    make_statement(
        status=Statement.Status.RETRACTED, title="Retracted", release_date=datetime.date(2024, 1, 1)
    )
    results = client.get("/api/statements/").json()["results"]
    assert [(s["title"], s["status"]) for s in results] == [
        ("Published", "published"),
        ("Archived", "archived"),
        ("Retracted", "retracted"),
    ]


def test_the_list_filters_by_campaign_organization_and_words(client):
    campaign = make_campaign(slug="protect-civilians")
    organization = make_organization(slug="ccp")
    make_statement(status=PUBLISHED, title="In the campaign", campaign=campaign)
    signed = make_statement(status=PUBLISHED, title="Signed by CCP")
    Signature.objects.create(statement=signed, organization=organization)
    pending = make_statement(status=PUBLISHED, title="CCP not approved yet")
    Signature.objects.create(statement=pending, organization=organization, state="confirmed")
    make_statement(status=PUBLISHED, title="Hospitals are not targets")
    cases = [
        ({"campaign": "protect-civilians"}, ["In the campaign"]),
        ({"organization": "ccp"}, ["Signed by CCP"]),
        ({"q": "hospitals"}, ["Hospitals are not targets"]),
        ({"q": "hospitals", "campaign": "protect-civilians"}, []),
        ({"campaign": "no-such-campaign"}, []),
    ]
    for params, titles in cases:
        page = client.get("/api/statements/", params).json()
        assert [s["title"] for s in page["results"]] == titles, params
        assert page["count"] == len(titles), params


def test_a_statement_reads_in_full(client):
    statement = make_full_statement(language="en")
    make_signatures(statement, 2)
    response = client.get("/api/statements/market-strike/")
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("kind", "kind_label", "title", "slug", "url")} == {
        "kind": "urgent_joint_statement",
        "kind_label": "Urgent joint statement",
        "title": "Market strike demands an answer",
        "slug": "market-strike",
        "url": site("/statements/market-strike/"),
    }
    assert data["standfirst"] == "Eight organizations speak together."
    assert data["dateline"] == "WASHINGTON, DC"
    assert data["release_date"] == "2024-06-26"
    # JSON carries times to the millisecond.
    published_at = statement.published_at.replace(
        microsecond=statement.published_at.microsecond // 1000 * 1000
    )
    assert datetime.datetime.fromisoformat(data["published_at"]) == published_at
    assert (data["language"], data["status"]) == ("en", "published")
    assert data["body"] == "We **condemn** the strike. <script>alert(1)</script>"
    assert data["body_html"] == (
        "<p>We <strong>condemn</strong> the strike. &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert data["image"] is None
    assert data["retraction"] is None
    assert data["demands"] == [
        {"heading": "Ceasefire", "text": "Stop the shelling."},
        {"heading": "Access", "text": "Open the crossings."},
    ]
    assert data["quotes"] == [
        {
            "text": "Markets are not targets.",
            "person_name": "Rana Haddad",
            "person_title": "Director",
            "organization": "Coalition for Civilian Protection",
        }
    ]
    assert data["issuers"] == [
        {
            "kind": "organization",
            "name": "Coalition for Civilian Protection",
            "short_name": "CCP",
            "slug": "ccp",
            "url": site("/organizations/ccp/"),
            "country": "US",
            "role": "issuer",
        }
    ]
    assert [(s["role"], s["country"]) for s in data["signatories"]] == [("signatory", "")] * 2
    assert data["signatory_counts"] == {"organizations": 2, "individuals": 0}
    assert data["press_contacts"] == [
        {
            "name": "Sam Okafor",
            "title": "Press officer",
            "organization": "Coalition for Civilian Protection",
            "email": "press@ccp.example.org",
            "phone": "+1 202 555 0100",
        }
    ]
    assert data["related_links"] == [{"title": "Earlier report", "url": "https://example.org/r"}]
    assert data["campaign"] == {
        "title": "Protect civilians",
        "slug": "protect-civilians",
        "url": site("/campaigns/protect-civilians/"),
        "summary": "",
        "is_active": True,
        "started_on": None,
    }


def test_a_retracted_statement_carries_its_notice(client):
    make_statement(
        status=Statement.Status.RETRACTED, slug="gone", retraction_note="The figure was wrong."
    )
    data = client.get("/api/statements/gone/").json()
    assert data["status"] == "retracted"
    assert data["retraction"]["note"] == "The figure was wrong."
    assert data["retraction"]["corrected_by"] is None


def test_a_retraction_names_the_correcting_statement_with_its_address(
    client, django_assert_num_queries
):
    correction = make_statement(status=PUBLISHED, slug="right", title="The right figures")
    make_statement(
        status=Statement.Status.RETRACTED, slug="gone", retraction_note="Wrong.",
        corrected_by=correction,
    )  # fmt: skip
    # statement with its correction, demands, quotes, press contacts, related links, updates,
    # signatures, their counts, the release's translations
    with django_assert_num_queries(9):
        data = client.get("/api/statements/gone/").json()
    assert data["retraction"]["corrected_by"] == {
        "slug": "right",
        "title": "The right figures",
        "url": site("/statements/right/"),
    }


def test_statements_not_public_are_not_found(client):
    draft = make_statement(slug="draft")
    Signature.objects.create(statement=draft, organization=make_organization(slug="only-draft"))
    make_statement(
        status=Statement.Status.SCHEDULED,
        slug="scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    for url in [
        "/api/statements/draft/",
        "/api/statements/draft/signatories/",
        "/api/statements/scheduled/",
        "/api/statements/no-such-statement/",
        "/api/organizations/only-draft/",
        "/api/campaigns/no-such-campaign/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["detail"], url


def test_a_statement_lists_its_issuers_then_signatories_in_pages(client):
    statement = make_statement(
        status=PUBLISHED, slug="listed", signatory_order=Statement.SignatoryOrder.MANUAL
    )
    make_signatures(statement, 3)
    make_signatures(statement, 2, role=Signature.Role.ISSUER)
    hidden = make_signatures(statement, 1)[0]
    Signature.objects.filter(pk=hidden.pk).update(state=Signature.State.WITHDRAWN)
    url = "/api/statements/listed/signatories/"
    first = client.get(url, {"page_size": 3}).json()
    assert first["count"] == 5
    assert [s["role"] for s in first["results"]] == ["issuer", "issuer", "signatory"]
    second = client.get(url, {"page_size": 3, "page": 2}).json()
    assert [s["role"] for s in second["results"]] == ["signatory", "signatory"]
    names = [s["name"] for s in first["results"] + second["results"]]
    assert hidden.organization.name not in names


def test_campaigns_are_listed_and_read_with_their_public_statements(client):
    campaign = make_campaign(title="Protect civilians", slug="protect-civilians")
    make_campaign(title="Old campaign", is_active=False)
    make_statement(status=PUBLISHED, title="Public", campaign=campaign)
    make_statement(title="Draft", campaign=campaign)
    listed = client.get("/api/campaigns/").json()
    assert [c["title"] for c in listed["results"]] == ["Protect civilians", "Old campaign"]
    data = client.get("/api/campaigns/protect-civilians/").json()
    assert data["url"] == site("/campaigns/protect-civilians/")
    assert [s["title"] for s in data["statements"]] == ["Public"]


def test_an_organization_is_read_with_the_statements_it_issued_and_signed(client):
    organization = make_organization(name="Relief Network", slug="relief", kind="coalition")
    issued = make_statement(status=PUBLISHED, title="Issued")
    signed = make_statement(status=PUBLISHED, title="Signed")
    draft = make_statement(title="Draft")
    Signature.objects.create(statement=issued, organization=organization, role="issuer")
    for statement in (signed, draft):
        Signature.objects.create(statement=statement, organization=organization)
    data = client.get("/api/organizations/relief/").json()
    assert (data["name"], data["kind"], data["logo"]) == ("Relief Network", "coalition", None)
    assert [s["title"] for s in data["issued"]] == ["Issued"]
    assert data["issued"][0]["issuers"][0]["slug"] == "relief"
    assert [s["title"] for s in data["signed"]] == ["Signed"]


def test_answers_may_be_read_from_any_site_and_cached_a_minute(client):
    make_full_statement()
    for url, cache_control in [
        ("/api/statements/", "public, max-age=60, s-maxage=60"),
        ("/api/statements/market-strike/", "public, max-age=60, s-maxage=60"),
        ("/api/openapi.json", "public, max-age=60, s-maxage=60"),
        # Errors are not kept: the statement may be published a moment later.
        ("/api/statements/no-such-statement/", "private, no-store"),
        ("/api/statements/?page=0", "private, no-store"),
    ]:
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert response["Cache-Control"] == cache_control, url
        assert "Set-Cookie" not in response, url


def test_the_api_only_reads(client):
    make_full_statement()
    for method in (client.post, client.put, client.delete):
        assert method("/api/statements/market-strike/").status_code == 405


def test_there_is_no_documentation_page_loading_scripts_from_elsewhere(client):
    assert client.get("/api/docs").status_code == 404


def test_the_openapi_description_is_valid_and_complete(client):
    spec = client.get("/api/openapi.json").json()
    validate(spec)
    operations = [
        operation
        for path in spec["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert sorted(o["operationId"] for o in operations) == [
        "getCampaign",
        "getOrganization",
        "getStatement",
        "listCampaigns",
        "listStatementSignatories",
        "listStatements",
    ]
    for operation in operations:
        assert operation["summary"], operation["operationId"]
        for status, response in operation["responses"].items():
            schema = response["content"]["application/json"]["schema"]
            assert schema["$ref"].startswith("#/components/schemas/"), (operation, status)
    assert set(spec["components"]["schemas"]) == {
        "CallToAction",
        "CampaignDetail",
        "CampaignSummary",
        "Correction",
        "DecisionMaker",
        "Demand",
        "Error",
        "Event",
        "Image",
        "IndividualSignatory",
        "InvalidParameter",
        "InvalidRequest",
        "OrganizationDetail",
        "OrganizationSignatory",
        "PageParameters",
        "PagedCampaignSummary",
        "PagedSignatoryRow",
        "PagedStatementSummary",
        "PressContact",
        "Quote",
        "TranslationLink",
        "RelatedLink",
        "Update",
        "Retraction",
        "Signatory",
        "SignatoryCounts",
        "SignatoryFilters",
        "SignatoryRow",
        "StatementDetail",
        "StatementFilters",
        "StatementSummary",
        "SuggestedMessage",
    }


@pytest.mark.parametrize("signatories", [1, 300])
def test_a_statement_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_full_statement()
    make_signatures(statement, signatories)
    # statement, demands, quotes, press contacts, related links, updates, signatures, their
    # counts, calls to action, the release's translations
    with django_assert_num_queries(10):
        data = client.get("/api/statements/market-strike/").json()
    assert len(data["signatories"]) == signatories
    # the statement, count, page
    with django_assert_num_queries(3):
        page = client.get(f"/api/statements/{statement.slug}/signatories/").json()
    assert page["count"] == signatories + 1


@pytest.mark.parametrize("statements", [1, 30])
def test_lists_cost_the_same_queries_however_long(client, django_assert_num_queries, statements):
    campaign = make_campaign(slug="protect-civilians")
    organization = make_organization(slug="ccp")
    for _ in range(statements):
        statement = make_statement(status=PUBLISHED, campaign=campaign)
        make_signatures(statement, 3, role=Signature.Role.ISSUER)
        make_signatures(statement, 5)
        Signature.objects.create(statement=statement, organization=organization)
    # count, page, issuers
    with django_assert_num_queries(3):
        page = client.get("/api/statements/", {"page_size": 100}).json()
    assert len(page["results"]) == statements
    assert all(len(s["issuers"]) == 3 for s in page["results"])
    # the campaign, its statements, their issuers, its calls to action
    with django_assert_num_queries(4):
        client.get("/api/campaigns/protect-civilians/")
    # the organization, its signatures with their statements, those statements' issuers
    with django_assert_num_queries(3):
        data = client.get("/api/organizations/ccp/").json()
    assert len(data["signed"]) == statements
    # count, page
    with django_assert_num_queries(2):
        client.get("/api/campaigns/")


def test_a_statement_and_its_campaign_list_their_current_calls_to_action(client):
    statement = make_full_statement(cosign_open=True)
    campaign = statement.campaign
    make_call_to_action(
        statement=statement,
        kind=CallToAction.Kind.CONTACT,
        title="Write to the minister",
        url="",
        target_name="Minister of Foreign Affairs",
        target_role="Minister",
        target_email="minister@example.gov",
        message_subject="Open the crossings",
        message_body="Dear Minister,\nOpen them.",
        position=1,
    )
    make_call_to_action(
        campaign=campaign, kind=CallToAction.Kind.COSIGN, statement=statement, url="", position=2
    )
    make_call_to_action(campaign=campaign, title="Read the report", position=3)
    make_call_to_action(
        campaign=campaign,
        title="Ended",
        ends_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    calls = client.get("/api/statements/market-strike/").json()["calls_to_action"]
    assert [call["title"] for call in calls] == [
        "Write to the minister",
        calls[1]["title"],
        "Read the report",
    ]
    contact, cosign, read_more = calls
    assert contact["kind"] == "contact"
    assert contact["target"] == {
        "name": "Minister of Foreign Affairs",
        "role": "Minister",
        "email": "minister@example.gov",
        "phone": "",
        "web_form_url": "",
    }
    assert contact["message"] == {
        "subject": "Open the crossings",
        "body": "Dear Minister,\nOpen them.",
        "mailto": "mailto:minister@example.gov?subject=Open%20the%20crossings"
        "&body=Dear%20Minister%2C%0D%0AOpen%20them.",
    }
    assert contact["statement"] == "market-strike" and contact["event"] is None
    assert cosign["url"] == f"{settings.SITE_URL}/statements/market-strike/sign/"
    assert (read_more["kind"], read_more["statement"], read_more["target"]) == (
        "read_more",
        None,
        None,
    )
    campaign_calls = client.get("/api/campaigns/protect-civilians/").json()["calls_to_action"]
    assert [call["title"] for call in campaign_calls] == [call["title"] for call in calls]


def test_an_archived_statement_asks_nothing_of_its_readers(client):
    statement = make_full_statement()
    make_call_to_action(statement=statement, title="Too late")
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.ARCHIVED)
    assert client.get("/api/statements/market-strike/").json()["calls_to_action"] == []


def test_the_openapi_description_has_the_404_of_a_page_past_the_last(client):
    make_full_statement()
    spec = client.get("/api/openapi.json").json()
    lists = {
        "/api/statements/": "listStatements",
        "/api/campaigns/": "listCampaigns",
        "/api/statements/market-strike/signatories/": "listStatementSignatories",
    }
    operations = {
        operation["operationId"]: operation
        for path in spec["paths"].values()
        for operation in path.values()
    }
    for url, operation_id in lists.items():
        response = client.get(url, {"page": 99})
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail"}
        described = operations[operation_id]["responses"]["404"]
        schema = described["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}, operation_id


def test_searches_past_the_rate_from_one_address_are_a_clear_429(client, settings):
    settings.SEARCH_RATE_PER_IP = "2/m"
    make_statement(status=PUBLISHED, title="Hospitals are not targets")
    # Only a search is counted: the list without words, or with blank ones, is not.
    for params in ({}, {"q": "  "}, {}, {"campaign": "none"}):
        assert client.get("/api/statements/", params).status_code == 200
    for _ in range(2):
        response = client.get("/api/statements/", {"q": "hospitals"})
        assert response.status_code == 200
        assert [s["title"] for s in response.json()["results"]] == ["Hospitals are not targets"]
    response = client.get("/api/statements/", {"q": "hospitals"})
    assert response.status_code == 429
    assert response.json() == {
        "detail": "We received many searches from your address in a short time. "
        "Please wait a minute and search again."
    }
    assert "public" not in response.get("Cache-Control", "")
    # Another address has its own count; this one may still list without searching.
    other = client.get("/api/statements/", {"q": "hospitals"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert client.get("/api/statements/").status_code == 200
    spec = client.get("/api/openapi.json").json()
    described = spec["paths"]["/api/statements/"]["get"]["responses"]["429"]
    assert described["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_the_page_and_the_api_share_one_count_of_searches(client, settings):
    settings.SEARCH_RATE_PER_IP = "2/m"
    assert client.get("/search/", {"q": "hospitals"}).status_code == 200
    assert client.get("/api/statements/", {"q": "hospitals"}).status_code == 200
    assert client.get("/api/statements/", {"q": "hospitals"}).status_code == 429
    assert client.get("/search/", {"q": "hospitals"}).status_code == 429
