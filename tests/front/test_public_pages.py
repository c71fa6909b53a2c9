import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import Demand, Signature, Statement
from tests.factories import (
    make_campaign,
    make_full_statement,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED


def test_the_statement_page_shows_every_part(client):
    statement = make_full_statement()
    make_signatures(statement, 2)
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Urgent joint statement",
        "Market strike demands an answer",
        "WASHINGTON, DC",
        "26 June 2024",
        "Eight organizations speak together.",
        "<strong>condemn</strong>",
        "Markets are not targets.",
        "<bdi>Rana Haddad</bdi>, <bdi>Director</bdi>",
        "Issued by",
        "Coalition for Civilian Protection",
        "Signed by 2 organizations",
        "For press inquiries",
        "Sam Okafor",
        "mailto:press@ccp.example.org",
        "+1 202 555 0100",
        "Earlier report",
        "Protect civilians",
    ]:
        assert text in html, text
    assert html.index("Ceasefire") < html.index("Access")


def test_drafts_and_scheduled_statements_are_not_found(client):
    draft = make_statement()
    scheduled = make_statement(
        status=Statement.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    in_signoff = make_statement(status=Statement.Status.SIGNOFF)
    for statement in (draft, scheduled, in_signoff):
        assert client.get(statement.get_absolute_url()).status_code == 404


def test_unpublished_statements_appear_in_no_list(client):
    campaign = make_campaign()
    organization = make_organization()
    public = make_statement(status=PUBLISHED, title="Public words", campaign=campaign)
    hidden = make_statement(title="Secret draft words", campaign=campaign)
    for statement in (public, hidden):
        Signature.objects.create(statement=statement, organization=organization)
    pages = [
        reverse("home"),
        reverse("statement_list"),
        campaign.get_absolute_url(),
        organization.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Public words" in html, url
        assert "Secret draft words" not in html, url


def test_an_organization_known_only_from_drafts_is_not_found(client):
    organization = make_organization()
    Signature.objects.create(statement=make_statement(), organization=organization)
    assert client.get(organization.get_absolute_url()).status_code == 404


def test_a_retracted_statement_keeps_its_page_with_the_notice(client):
    statement = make_statement(
        status=Statement.Status.RETRACTED, retraction_note="The casualty figure was wrong."
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "This statement has been retracted" in html
    assert "The casualty figure was wrong." in html
    assert statement.title in html


def test_the_retraction_notice_links_the_correcting_statement(client, django_assert_num_queries):
    correction = make_statement(status=PUBLISHED, title="Corrected <figures>", slug="corrected")
    statement = make_statement(
        status=Statement.Status.RETRACTED, retraction_note="Wrong.", corrected_by=correction
    )
    # statement with its correction, demands, quotes, organizations, individuals, press
    # contacts, related links, updates, the release's translations, its latest correction
    with django_assert_num_queries(9):
        html = client.get(statement.get_absolute_url()).content.decode()
    notice = html[html.index('class="alert alert-danger retraction"') :]
    notice = notice[: notice.index("</div>")]
    assert (
        '<p class="mb-1">Corrected by <a href="/statements/corrected/" lang="en" dir="ltr">'
        "Corrected &lt;figures&gt;</a>.</p>"
    ) in notice


def test_the_home_page_lists_only_published_statements_and_active_campaigns(client):
    make_statement(status=PUBLISHED, title="Fresh statement")
    make_statement(status=Statement.Status.ARCHIVED, title="Old archived")
    make_campaign(title="Running campaign")
    make_campaign(title="Finished campaign", is_active=False)
    html = client.get(reverse("home")).content.decode()
    assert "Fresh statement" in html
    assert "Old archived" not in html
    assert "Running campaign" in html
    assert "Finished campaign" not in html


def test_the_archive_is_newest_first_and_paginated(client):
    for day in range(1, 23):
        make_statement(
            status=PUBLISHED, title=f"Day {day:02}", release_date=datetime.date(2024, 1, day)
        )
    first = client.get(reverse("statement_list")).content.decode()
    assert first.index("Day 22") < first.index("Day 21")
    assert "Day 02" not in first
    second = client.get(reverse("statement_list"), {"page": 2}).content.decode()
    assert "Day 02" in second and "Day 01" in second
    assert client.get(reverse("statement_list"), {"page": 9}).status_code == 404
    assert client.get(reverse("statement_list"), {"page": "x"}).status_code == 404


def test_the_archive_filters_by_campaign_organization_and_year(client):
    campaign = make_campaign()
    organization = make_organization()
    in_campaign = make_statement(status=PUBLISHED, title="In campaign", campaign=campaign)
    by_org = make_statement(status=PUBLISHED, title="By organization")
    Signature.objects.create(statement=by_org, organization=organization)
    old = make_statement(
        status=PUBLISHED, title="From 2015", release_date=datetime.date(2015, 12, 21)
    )
    url = reverse("statement_list")
    cases = [
        ({"campaign": campaign.slug}, in_campaign),
        ({"organization": organization.slug}, by_org),
        ({"year": "2015"}, old),
    ]
    for params, expected in cases:
        response = client.get(url, params)
        titles = [s.title for s in response.context["page"]]
        assert titles == [expected.title], params


def test_an_unknown_filter_value_is_a_clear_400(client):
    make_statement(status=PUBLISHED)
    response = client.get(
        reverse("statement_list"), {"campaign": "no-such-campaign", "year": "abc"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html


def test_the_organization_filter_is_a_text_box_with_suggestions_not_a_list(client):
    statement = make_statement(status=PUBLISHED)
    for n in range(3):
        organization = make_organization(name=f"Listed Relief {n}")
        Signature.objects.create(statement=statement, organization=organization)
    html = client.get(reverse("statement_list")).content.decode()
    assert "Listed Relief" not in html
    assert 'for="id_organization" class="form-label"' in html
    assert 'name="organization"' in html and 'list="archive-organizations"' in html
    assert '<datalist id="archive-organizations"></datalist>' in html
    assert 'data-organization-suggest="/organizations/suggest/"' in html
    assert "js/archive-filter.js" in html


@pytest.mark.parametrize("typed", ["al-haq-relief", "Al-Haq Relief", "  al-haq   RELIEF "])
def test_the_archive_filters_by_an_organization_named_or_by_its_slug(client, typed):
    organization = make_organization(name="Al-Haq Relief", slug="al-haq-relief")
    by_org = make_statement(status=PUBLISHED, title="By organization")
    Signature.objects.create(statement=by_org, organization=organization)
    make_statement(status=PUBLISHED, title="Another")
    response = client.get(reverse("statement_list"), {"organization": typed})
    assert response.status_code == 200
    assert [s.title for s in response.context["page"]] == ["By organization"]
    # The chosen organization stays in the box, by name however it was given.
    assert 'name="organization" value="Al-Haq Relief"' in response.content.decode()


def test_a_slug_wins_over_another_organizations_name(client):
    by_slug = make_organization(name="Someone", slug="relief")
    by_name = make_organization(name="Relief", slug="other")
    for organization in (by_slug, by_name):
        statement = make_statement(status=PUBLISHED, title=f"By {organization.slug}")
        Signature.objects.create(statement=statement, organization=organization)
    response = client.get(reverse("statement_list"), {"organization": "relief"})
    assert [s.title for s in response.context["page"]] == ["By relief"]


def test_an_unknown_or_unpublished_organization_is_a_clear_400(client):
    make_statement(status=PUBLISHED)
    hidden = make_organization(name="Drafts Only")
    Signature.objects.create(statement=make_statement(), organization=hidden)
    for typed in ("No Such Org", "Drafts Only", hidden.slug):
        response = client.get(reverse("statement_list"), {"organization": typed})
        assert response.status_code == 400, typed
        html = response.content.decode()
        assert f"No organization with a public statement is called “{typed}”." in html


def test_filtering_by_an_organization_costs_as_many_queries_as_before(
    client, django_assert_num_queries
):
    organization = make_organization()
    for _ in range(3):
        statement = make_statement(status=PUBLISHED)
        Signature.objects.create(statement=statement, organization=organization)
    # years, campaign choices, the organization, count, the page's ids, its statements,
    # issuers: as many as when the filter listed every organization
    with django_assert_num_queries(7):
        response = client.get(reverse("statement_list"), {"organization": organization.slug})
    assert len(response.context["page"]) == 3


@pytest.mark.parametrize("signatories", [0, 1, 500])
def test_the_statement_page_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_full_statement()
    make_signatures(statement, signatories)
    # Signatures not approved yet are not shown, and cost nothing either.
    pending = make_signatures(statement, 20)
    Signature.objects.filter(pk__in=[s.pk for s in pending]).update(state="confirmed")
    # statement, demands, quotes, organizations, individuals, press contacts, related links,
    # updates, calls to action, the release's translations, its latest correction
    with django_assert_num_queries(10):
        response = client.get(statement.get_absolute_url())
    html = response.content.decode()
    if signatories:
        assert f"Signed by {signatories} organization" in html
    else:
        assert "Signed by" not in html
    assert pending[0].organization.name not in html


@pytest.mark.parametrize("statements", [1, 50])
def test_the_archive_costs_the_same_queries_however_many_statements(
    client, django_assert_num_queries, statements
):
    campaign = make_campaign()
    for _ in range(statements):
        statement = make_statement(status=PUBLISHED, campaign=campaign)
        make_signatures(statement, 3, role=Signature.Role.ISSUER)
    # years, campaign choices, count, the page's ids, its statements, issuers
    with django_assert_num_queries(6):
        response = client.get(reverse("statement_list"))
    assert len(response.context["page"]) == min(statements, 20)


def test_the_home_page_cost_is_constant(client, django_assert_num_queries):
    for _ in range(8):
        make_signatures(make_statement(status=PUBLISHED), 3, role=Signature.Role.ISSUER)
    # statements, their issuers, campaigns
    with django_assert_num_queries(3):
        client.get(reverse("home"))


def test_an_arabic_statement_is_marked_right_to_left(client):
    statement = make_statement(
        status=PUBLISHED, language="ar", title="بيان مشترك", slug="بيان-مشترك"
    )
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "بيان مشترك" in html


def test_html_typed_in_any_field_is_shown_as_text(client):
    statement = make_statement(
        status=PUBLISHED,
        title="<script>alert(1)</script>Headline",
        standfirst="<img src=x onerror=alert(1)>",
        dateline="<b>PLACE</b>",
    )
    Demand.objects.create(statement=statement, heading="<i>x</i>", text="<script>y</script>")
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Headline" in html
    assert "<img src=x" not in html
    assert "<b>PLACE</b>" not in html


def test_public_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
