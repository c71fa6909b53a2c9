"""Requests refused before a view or the database reads them: bodies over the size limit,
and what PostgreSQL or Django cannot read (NUL characters, a form in another charset).

NUL is refused by PostgreSQL only; on SQLite these requests found nothing, and the
tests pass on the old code too. CI runs them on PostgreSQL.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

import front.urls
import press.urls
import statements.urls
from statements.models import Signature
from tests.factories import cosign_data, make_open_statement

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_announcing(client, path: str, length: int):
    return client.post(
        path,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
    )


@pytest.mark.parametrize("where", ["cosign", "admin"])
def test_a_body_over_the_limit_is_refused_before_it_is_read(staff_client, settings, where):
    path = (
        reverse("cosign", args=[make_open_statement().slug])
        if where == "cosign"
        else reverse("admin:statements_statement_add")
    )
    response = post_announcing(staff_client, path, 200 * MB)
    assert response.status_code == 413
    assert f"at most {settings.MAX_REQUEST_MB} MB" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_limit_is_a_setting(client, settings):
    settings.MAX_REQUEST_MB = 1
    path = reverse("cosign", args=[make_open_statement().slug])
    assert post_announcing(client, path, 2 * MB).status_code == 413
    response = client.post(path, cosign_data())
    assert response.status_code == 302


def parameter_routes(patterns, prefix: str = ""):
    """Every route of the public site with a text parameter, the parameters written as NUL."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from parameter_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and re.search(r"<(str:)?\w+>", route):
            route = re.sub(r"<(str:)?\w+>", "%00", route)
            yield "/" + re.sub(r"<slug:\w+>", "abc", route)


ROUTES = [
    route
    for patterns in (
        front.urls.urlpatterns,
        front.urls.machine_patterns,
        statements.urls.urlpatterns,
        press.urls.urlpatterns,
    )
    for route in parameter_routes(patterns)
]


def test_the_routes_of_every_app_are_found():
    assert {
        "/statements/%00/share-abc.png",
        "/organizations/%00/feed.atom",
        "/api/organizations/%00/",
        "/cosign/%00/resend/",
        "/signoff/%00/",
        "/press/preview/%00/",
    } <= set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_a_nul_in_an_address_is_not_found(client, route):
    assert client.get(route).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/api/statements/?campaign=%00",
        "/api/statements/?organization=a%00b",
        "/api/statements/?q=%00",
        "/api/statements/?%00=1",
        "/organizations/suggest/?q=a%00b",
        "/statements/?page=%00",
    ],
)
def test_a_nul_in_a_query_is_a_bad_request(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_a_nul_in_an_admin_search_is_a_bad_request(staff_client):
    response = staff_client.get(reverse("admin:statements_statement_changelist") + "?q=%00")
    assert response.status_code == 400


def test_a_nul_in_a_cookie_is_a_bad_request(client, staff):
    client.cookies["sessionid"] = "\x00" * 40
    assert client.get(reverse("admin:index")).status_code == 400


def test_a_nul_in_a_form_field_is_a_message_on_the_form(client):
    statement = make_open_statement()
    response = client.post(
        reverse("cosign", args=[statement.slug]), cosign_data(organization_name="Aid\x00")
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_a_form_posted_in_latin_1_is_a_bad_request(settings):
    # Django refuses such a form with a 400; its error page, asking for a CSRF token,
    # read the form again and turned that into a 500.
    client = Client(enforce_csrf_checks=True)
    path = reverse("account_login")
    client.get(path)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        path,
        f"csrfmiddlewaretoken={token}&login=caf%E9&password=x",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
