"""The statement page's list of signatories: issuers, the count, the logo wall, headings,
numbers and details, late signers, the individuals and their paged list."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.pagecache import forget_local_pages
from statements.models import SignatoryGroup, Signature, Statement
from tests.factories import (
    make_individuals,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = pytest.mark.django_db

PUBLISHED = Statement.Status.PUBLISHED
PUBLICATION = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)


def published(**fields) -> Statement:
    defaults = {
        "status": PUBLISHED,
        "published_at": PUBLICATION,
        "signers": Statement.Signers.EVERYONE,
    }
    return make_statement(**(defaults | fields))


def sign(statement, name, **fields) -> Signature:
    organization_fields = {
        k.removeprefix("org_"): fields.pop(k) for k in list(fields) if k.startswith("org_")
    }
    organization = make_organization(name=name, **organization_fields)
    fields.setdefault("decided_at", PUBLICATION)
    return Signature.objects.create(statement=statement, organization=organization, **fields)


def person(statement, name, **fields) -> Signature:
    defaults = {
        "kind": Signature.Kind.INDIVIDUAL,
        "signer_name": name,
        "signer_email": f"{name.split()[0].lower()}@example.org",
        "consent_publish": True,
        "decided_at": PUBLICATION,
    }
    return Signature.objects.create(statement=statement, **(defaults | fields))


def page(client, statement) -> str:
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def individuals_url(statement, query="") -> str:
    return reverse("statement_individuals", args=[statement.slug]) + query


def logo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_the_heading_counts_organizations_and_individuals_after_the_issuers(client):
    statement = published()
    sign(statement, "Coalition for Civilian Protection", role=Signature.Role.ISSUER)
    sign(statement, "Alpha Aid")
    sign(statement, "Beta Rights")
    person(statement, "Amaka Okafor")
    html = page(client, statement)
    assert '<h2 id="signatories-heading">Signed by 2 organizations and 1 individual</h2>' in html
    assert html.index("issuers-heading") < html.index("signatories-heading")
    assert html.index("signatories-heading") < html.index("Alpha Aid") < html.index("individuals")
    assert 'id="individuals"' in html


def test_organizations_are_numbered_across_their_headings_with_acronym_and_country(client):
    statement = published(
        signatory_numbering=True,
        signatory_details=True,
        signatory_grouping=Statement.SignatoryGrouping.GROUPS,
    )
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead organizations")
    endorsing = SignatoryGroup.objects.create(
        statement=statement, name="Endorsing organizations", position=1
    )
    sign(statement, "Zeta Aid", group=lead)
    sign(statement, "Amal Relief", group=lead)
    sign(
        statement,
        "Syrian American Council",
        group=endorsing,
        org_short_name="SAC",
        org_country="US",
    )
    html = page(client, statement)
    assert html.index("Lead organizations") < html.index("Endorsing organizations")
    assert '<h3 class="signatory-group h5">Lead organizations</h3>' in html
    assert html.count('<ol class="org-list signatory-list">') == 2
    assert re.search(r'<li class="signatory" value="1"><a [^>]*><bdi>Amal Relief</bdi>', html)
    assert re.search(r'<li class="signatory" value="2"><a [^>]*><bdi>Zeta Aid</bdi>', html)
    assert re.search(
        r'<li class="signatory" value="3"><a class="signatory-name" href="/organizations/[^"]+/">'
        r"<bdi>Syrian American Council</bdi></a> \(<bdi>SAC</bdi>\), "
        r"<bdi>United States of America</bdi>",
        html,
    )


def test_without_numbers_or_details_the_list_is_names_only(client):
    statement = published()
    sign(statement, "Syrian American Council", org_short_name="SAC", org_country="US")
    html = page(client, statement)
    assert '<ul class="org-list signatory-list">' in html
    assert "<ol" not in html.split('id="signatories-heading"')[1].split("</section>")[0]
    assert "(<bdi>SAC</bdi>)" not in html
    assert "United States" not in html
    assert "signatory-group" not in html


def test_a_signer_approved_after_publication_is_marked_with_the_date(client):
    statement = published()
    sign(statement, "Alpha Aid")
    sign(statement, "Late Aid", decided_at=datetime.datetime(2026, 10, 14, 12, tzinfo=datetime.UTC))
    person(
        statement,
        "Amaka Okafor",
        decided_at=datetime.datetime(2026, 10, 15, 8, tzinfo=datetime.UTC),
    )
    html = page(client, statement)
    assert '<p class="late-count">2 joined after publication</p>' in html
    assert (
        '<bdi>Late Aid</bdi></a> <span class="joined-on text-body-secondary">— '
        'joined on <time datetime="2026-10-14">14 October 2026</time></span>'
    ) in html
    assert 'joined on <time datetime="2026-10-15">15 October 2026</time>' in html
    assert html.count("joined on") == 2


def test_no_late_count_when_everyone_signed_before_publication(client):
    statement = published()
    sign(statement, "Alpha Aid")
    assert "joined after publication" not in page(client, statement)


def test_the_logo_wall_shows_only_the_logos_organizations_agreed_to_show(client):
    statement = published(logo_wall=True)
    sign(statement, "Shown Aid", show_logo=True, org_logo=logo())
    sign(statement, "Hidden Aid", show_logo=False, org_logo=logo())
    sign(statement, "No Logo Aid", show_logo=True)
    html = page(client, statement)
    wall = html.split('<ul class="logo-wall list-unstyled">')[1].split("</ul>")[0]
    assert wall.count("<img") == 1
    assert re.search(
        r'<a href="/organizations/[^"]+/"><img src="/media/[^"]+" alt="Shown Aid"', wall
    )
    assert "Hidden Aid" not in wall
    # No logo beside the names in the list.
    assert html.count("<img") == 1


def test_no_logo_wall_unless_the_statement_asks_for_one(client):
    statement = published(logo_wall=False)
    sign(statement, "Shown Aid", show_logo=True, org_logo=logo())
    html = page(client, statement)
    assert "logo-wall" not in html
    assert "<img" not in html


def test_individuals_are_listed_with_title_and_affiliation_never_an_address(client):
    statement = published(signatory_details=True, affiliation_note="Titles for identification.")
    sign(statement, "Alpha Aid")
    person(
        statement,
        "Amaka Okafor",
        signer_title="Professor",
        affiliation="University of Lagos",
        signer_country="NG",
        signer_phone="+234 1 555 0100",
    )
    person(statement, "Bob Adams")
    html = page(client, statement)
    section = html.split('<section id="individuals"')[1].split("</section>")[0]
    assert '<h3 id="individuals-heading" class="h4">Individuals</h3>' in section
    assert '<p class="affiliation-note small">Titles for identification.</p>' in section
    assert (
        '<li class="signatory individual"><bdi class="signatory-name">Amaka Okafor</bdi>, '
        "<bdi>Professor</bdi>, <bdi>University of Lagos</bdi>, <bdi>Nigeria</bdi></li>"
    ) in section
    assert '<bdi class="signatory-name">Bob Adams</bdi></li>' in section
    assert "<a " not in section and "<img" not in section
    assert "@example.org" not in html
    assert "555 0100" not in html
    # Fewer than a page: no link to more.
    assert "Show all" not in section


def test_individuals_are_numbered_on_their_own_when_the_list_is(client):
    statement = published(signatory_numbering=True)
    sign(statement, "Alpha Aid")
    person(statement, "Amaka Okafor")
    person(statement, "Bob Adams")
    html = page(client, statement)
    assert '<ol class="individual-list" id="individuals-list" data-individuals>' in html
    assert (
        '<li class="signatory individual" value="1"><bdi class="signatory-name">Bob Adams' in html
    )
    assert '<li class="signatory individual" value="2"><bdi class="signatory-name">Amaka' in html


def test_a_single_individual_is_counted_in_the_singular(client):
    statement = published()
    person(statement, "Amaka Okafor")
    html = page(client, statement)
    assert '<h2 id="signatories-heading">Signed by 1 individual</h2>' in html
    assert '<h3 id="individuals-heading" class="h4">Individual</h3>' in html
    assert '<p class="affiliation-note small">Affiliations are for identification only.</p>' in html


def test_the_page_shows_the_first_hundred_individuals_and_links_to_the_rest(client):
    statement = published(slug="open-letter")
    make_individuals(statement, 150, decided_at=PUBLICATION)
    html = page(client, statement)
    section = html.split('<section id="individuals"')[1].split("</section>")[0]
    assert section.count('<li class="signatory individual">') == 100
    assert "Family00099" in section and "Family00100" not in section
    assert (
        '<a href="/statements/open-letter/individuals/?page=2" data-show-more-next>'
        "Show all 150 individuals</a>"
    ) in section
    # With script, a button brings the next rows here; it shows only once the script ran.
    assert 'type="button" data-show-more-button hidden>Show more</button>' in section
    assert '<p class="visually-hidden" role="status" data-show-more-status></p>' in section
    assert '<script src="/static/js/individuals.js" defer></script>' in section


def test_an_arabic_statement_lists_its_signatories_right_to_left_in_arabic(client):
    statement = published(language="ar", slug="رسالة")
    sign(statement, "منظمة الأمل")
    person(statement, "ليلى حسن", signer_title="طبيبة")
    make_individuals(statement, 120, decided_at=PUBLICATION)
    html = page(client, statement)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="statement container narrow" lang="ar" dir="rtl"' in html
    assert "موقَّع من منظمة واحدة و121 فردًا" in html
    assert '<h3 id="individuals-heading" class="h4">الأفراد</h3>' in html
    assert "الانتماءات مذكورة للتعريف فقط." in html
    assert "عرض المزيد" in html
    assert "عرض جميع الأفراد وعددهم 121" in html
    assert '<bdi class="signatory-name">ليلى حسن</bdi>, <bdi>طبيبة</bdi>' in html


# The paged list of individuals


def test_the_paged_list_continues_where_the_statement_page_stops(client):
    statement = published(slug="open-letter", signatory_numbering=True)
    make_individuals(statement, 250, decided_at=PUBLICATION)
    response = client.get(individuals_url(statement, "?page=2"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    html = response.content.decode()
    assert html.count('<li class="signatory individual"') == 100
    assert '<li class="signatory individual" value="101"><bdi class="signatory-name">' in html
    assert "Family00100" in html and "Family00200" not in html
    assert "250 individuals, page 2 of 3" in html
    assert '<a class="page-link" href="?page=1" rel="prev">Previous</a>' in html
    assert '<a class="page-link" href="?page=3" rel="next">Next</a>' in html
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">2</span>' in html
    )
    assert 'href="/statements/open-letter/"' in html
    assert "Affiliations are for identification only." in html
    assert "@example.org" not in html
    assert '/statements/open-letter/individuals/?page=2">' in html.split('rel="canonical"')[1]


def test_the_last_page_has_no_next(client):
    statement = published()
    make_individuals(statement, 150, decided_at=PUBLICATION)
    html = client.get(individuals_url(statement, "?page=2")).content.decode()
    assert html.count('<li class="signatory individual"') == 50
    assert 'rel="next"' not in html
    assert "150 individuals, page 2 of 2" in html


@pytest.mark.parametrize(
    "query", ["?page=3", "?page=0", "?page=abc", "?page=-1", "?page=99999999", "?page=²"]
)
def test_a_page_out_of_range_is_not_found(client, query):
    statement = published()
    make_individuals(statement, 150, decided_at=PUBLICATION)
    assert client.get(individuals_url(statement, query)).status_code == 404


def test_a_statement_without_individuals_has_no_list_of_them(client):
    statement = published()
    sign(statement, "Alpha Aid")
    assert client.get(individuals_url(statement)).status_code == 404


@pytest.mark.parametrize("status", [Statement.Status.DRAFT, Statement.Status.SIGNOFF])
def test_the_list_of_a_statement_not_public_is_not_found(client, status):
    statement = make_statement(status=status, signers=Statement.Signers.EVERYONE)
    make_individuals(statement, 3)
    assert client.get(individuals_url(statement)).status_code == 404
    assert client.get("/statements/no-such-statement/individuals/").status_code == 404


def test_the_paged_list_is_served_from_the_page_cache_a_copy_per_page(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    forget_local_pages()
    statement = published()
    make_individuals(statement, 150, decided_at=PUBLICATION)
    first = client.get(individuals_url(statement, "?page=1"))
    second = client.get(individuals_url(statement, "?page=2"))
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "miss")
    assert first.content != second.content
    again = client.get(individuals_url(statement, "?page=2&utm_source=x"))
    assert again["X-Page-Cache"] == "hit"
    assert again.content == second.content


def test_an_arabic_paged_list_is_right_to_left(client):
    statement = published(language="ar", slug="رسالة")
    make_individuals(statement, 150, decided_at=PUBLICATION)
    html = client.get("/ar" + individuals_url(statement, "?page=2")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الأفراد الموقِّعون" in html
    assert "السابق" in html


# Query counts: the same with 1 signatory as with thousands. The statement, its demands,
# quotes, organizations, first individuals, press contacts, related links, updates, calls
# to action, the release's translations.
QUERIES_STATEMENT_PAGE = 10
QUERIES_INDIVIDUALS_PAGE = 2  # the statement, a page of individuals with their count


@pytest.mark.parametrize(("organizations", "individuals"), [(1, 1), (500, 5000)])
def test_the_statement_page_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, organizations, individuals
):
    statement = published(signatory_numbering=True, signatory_details=True, logo_wall=True)
    sign(statement, "Issuer", role=Signature.Role.ISSUER)
    make_signatures(statement, organizations)
    make_individuals(statement, individuals)
    with django_assert_num_queries(QUERIES_STATEMENT_PAGE):
        response = client.get(statement.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("number", [2, 20])
def test_the_paged_list_costs_the_same_queries_on_every_page(
    client, django_assert_num_queries, number
):
    statement = published()
    make_individuals(statement, 2500)
    with django_assert_num_queries(QUERIES_INDIVIDUALS_PAGE):
        response = client.get(individuals_url(statement, f"?page={number}"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("signers", "button"),
    [
        (Statement.Signers.EVERYONE, "Sign this statement"),
        (Statement.Signers.ORGANIZATIONS, "Add your organization"),
    ],
)
def test_the_sign_button_asks_whoever_may_sign(client, signers, button):
    statement = published(signers=signers, cosign_open=True)
    html = page(client, statement)
    call = html[html.index('class="cosign-call"') :]
    assert f'">{button}</a>' in call[: call.index("</p>")]
