import pytest

from organizations.models import domain_of
from organizations.services import organization_match, organization_slug
from tests.factories import make_organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.org/about", "example.org"),
        ("http://sub.example.org", "sub.example.org"),
        ("example.org", "example.org"),
        ("", ""),
    ],
)
def test_the_domain_of_a_website(url, domain):
    assert domain_of(url) == domain


def test_it_matches_by_name_in_any_case_and_spacing():
    organization = make_organization(name="Syrian Emergency Task Force")
    assert organization_match(name="  syrian  emergency task FORCE ") == organization


def test_it_matches_by_acronym():
    organization = make_organization(name="Syrian Emergency Task Force", short_name="SETF")
    assert organization_match(name="SETF") == organization


def test_it_matches_by_website_domain_when_the_name_differs():
    organization = make_organization(name="Task Force", website="https://www.setf.example.org/")
    assert (
        organization_match(name="Another name", website="http://setf.example.org/en")
        == organization
    )


def test_a_name_match_wins_over_a_domain_match():
    by_domain = make_organization(name="Network", website="https://host.example.org")
    by_name = make_organization(name="Member group", website="https://host.example.org/member")
    assert organization_match(name="Member group", website="https://host.example.org") == by_name
    assert by_domain != by_name


def test_an_arabic_name_is_matched_exactly():
    organization = make_organization(name="جمعية الأمل للإغاثة")
    assert organization_match(name="جمعية الأمل للإغاثة") == organization
    assert organization_match(name="جمعية أخرى") is None


def test_nothing_matches_an_unknown_organization():
    make_organization(name="Known", website="https://known.example.org")
    assert organization_match(name="Unknown", website="https://unknown.example.org") is None


def test_a_new_slug_is_free_and_keeps_the_script():
    make_organization(name="Relief", slug="relief")
    assert organization_slug("Relief") == "relief-2"
    assert organization_slug("جمعية الأمل") == "جمعية-الأمل"


def test_the_email_domain_check_accepts_subdomains_only_of_the_website():
    organization = make_organization(website="https://www.setf.example.org")
    assert organization.domain == "setf.example.org"
    assert organization.email_matches_domain("a@setf.example.org")
    assert organization.email_matches_domain("a@mail.setf.example.org")
    assert not organization.email_matches_domain("a@notsetf.example.org")
    assert not organization.email_matches_domain("a@gmail.com")


@pytest.mark.parametrize(
    "typed",
    [
        "Amnesty\u200b International",  # a zero-width space
        "\u0410mnesty International",  # a Cyrillic capital A
        "Amnesty lnternational",  # a small L for the capital I
        "\u202eAmnesty International",  # a right-to-left override
    ],
)
def test_a_look_alike_name_finds_the_organization_it_imitates(typed):
    organization = make_organization(name="Amnesty International", website="https://amnesty.org")
    assert organization_match(name=typed, website="https://amnesty-news.example.org") == (
        organization
    )


def test_a_look_alike_acronym_finds_the_organization():
    organization = make_organization(name="Syrian Emergency Task Force", short_name="SETF")
    assert organization_match(name="\u0405ETF") == organization  # a Cyrillic S


def test_an_exact_name_wins_over_a_look_alike():
    make_organization(name="Amnesty lnternational")
    exact = make_organization(name="Amnesty International")
    assert organization_match(name="amnesty international") == exact


def test_a_name_of_invisible_characters_matches_nothing():
    make_organization(name="Known", short_name="")
    assert organization_match(name="\u200b\u200d") is None
