"""What a proxy or CDN in front may keep (core.http.cacheable, core.middleware.
CacheControlMiddleware): public pages for PROXY_CACHE_SECONDS, never a tokenized page,
a staff page, a form's answer or anything that sets a cookie."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.languages import browser_language
from statements.models import Statement
from tests.factories import (
    confirm_token,
    cosign_data,
    make_call_to_action,
    make_full_statement,
    make_individuals,
    make_open_statement,
    submitted,
)

pytestmark = pytest.mark.django_db

PAGE = "public, max-age=0, s-maxage=120"
PRIVATE = "private, no-store"
YEAR = "public, max-age=31536000"
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"

# Every address a proxy may keep, by URL name: the README's table.
CACHEABLE = {
    "home", "statement_list", "search", "statement_detail", "statement_individuals",
    "statement_share_image",
    "statement_pdf", "statement_embed", "organization_suggest", "organization_detail",
    "campaign_detail", "feed_rss", "feed_atom", "campaign_feed_rss", "campaign_feed_atom",
    "organization_feed_rss", "organization_feed_atom", "oembed", "privacy", "sitemap",
    "robots_txt", "javascript_catalog", "api", "statement_version", "statement_compare",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _proxy_seconds(settings):
    settings.PROXY_CACHE_SECONDS = 120


@pytest.fixture
def statement():
    statement = make_full_statement()
    make_individuals(statement, 1)
    return statement


def share_image_url(client, statement) -> str:
    return client.get(reverse("statement_share_image", args=[statement.slug, "x"]))["Location"]


def public_urls(client, statement) -> list[tuple[str, str]]:
    """(address, Cache-Control) of each cacheable kind of page."""
    slug = statement.slug
    return [
        ("/", PAGE),
        ("/ar/", PAGE),
        ("/statements/", PAGE),
        ("/statements/?page=1&kind=press_release", PAGE),
        ("/search/?q=market", PAGE),
        (f"/statements/{slug}/", PAGE),
        (f"/ar/statements/{slug}/", PAGE),
        (f"/statements/{slug}/individuals/?page=1", PAGE),
        (f"/statements/{slug}.pdf", PAGE),
        (f"/statements/{slug}/embed/", PAGE),
        ("/organizations/ccp/", PAGE),
        ("/organizations/suggest/?q=co", PAGE),
        ("/campaigns/protect-civilians/", PAGE),
        ("/feeds/statements.rss", PAGE),
        ("/feeds/statements.atom", PAGE),
        ("/campaigns/protect-civilians/feed.rss", PAGE),
        ("/organizations/ccp/feed.atom", PAGE),
        (f"/oembed/?url=https://statements.example.org/statements/{slug}/", PAGE),
        ("/privacy/", PAGE),
        ("/sitemap.xml", PAGE),
        ("/robots.txt", PAGE),
        # Their own lifetimes for browsers, and proxies may keep them as long.
        ("/jsi18n/", "public, max-age=3600, s-maxage=3600"),
        ("/api/statements/", "public, max-age=60, s-maxage=120"),
        (share_image_url(client, statement), f"{YEAR}, immutable, s-maxage=31536000"),
    ]  # fmt: skip


def test_every_kind_of_public_page_may_be_kept_by_a_proxy(client, settings, statement):
    settings.SITE_URL = "https://statements.example.org"
    for url, cache_control in public_urls(client, statement):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == cache_control, url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_only_what_follows_the_browser_varies_on_its_language(client, statement):
    # The address says the language of these: one copy per browser language would be waste.
    for url in ["/", f"/statements/{statement.slug}/", "/ar/", "/feeds/statements.rss"]:
        assert "Accept-Language" not in client.get(url).get("Vary", ""), url
    assert "Accept-Language" in client.get("/api/statements/")["Vary"]
    assert "Accept-Language" in client.get(reverse("account_login"))["Vary"]


def test_the_api_speaks_the_browsers_language_not_the_cookies(rf):
    request = rf.get("/api/statements/", HTTP_ACCEPT_LANGUAGE="fr, ar;q=0.8, en;q=0.5")
    request.COOKIES["django_language"] = "en"
    assert browser_language(request) == "ar"
    assert browser_language(rf.get("/api/statements/", HTTP_ACCEPT_LANGUAGE="fr, *")) == "en"
    assert browser_language(rf.get("/api/statements/")) == "en"


def test_a_page_that_changes_at_a_known_time_is_not_kept_past_it(client, settings):
    settings.PROXY_CACHE_SECONDS = 600
    statement = make_full_statement()
    make_call_to_action(
        campaign=statement.campaign,
        title="Later call",
        starts_at=timezone.now() + timezone.timedelta(seconds=90),
    )
    response = client.get("/campaigns/protect-civilians/")
    cache_control = response["Cache-Control"]
    assert cache_control.startswith("public, max-age=0, s-maxage=")
    assert 80 <= int(cache_control.rsplit("=", 1)[1]) <= 90


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_cached_statement_page_and_its_304_carry_the_same_rules(
    client, settings, statement, page_cache
):
    settings.PAGE_CACHE_SECONDS = page_cache
    url = f"/statements/{statement.slug}/"
    first = client.get(url)
    assert first["Cache-Control"] == PAGE
    if page_cache:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again["Cache-Control"] == PAGE


def test_with_no_proxy_time_proxies_check_back_each_time(client, settings, statement):
    settings.PROXY_CACHE_SECONDS = 0
    assert client.get("/").get("Cache-Control") == "public, max-age=0, s-maxage=0"


def tokenized_urls(statement: Statement) -> list[str]:
    open_statement = make_open_statement(slug="open-one")
    signature = submitted(open_statement)
    token = confirm_token(signature)
    return [
        f"/statements/{open_statement.slug}/sign/",
        f"/statements/{open_statement.slug}/sign/sent/",
        f"/cosign/{statement.cosign_key or 'no-such-key'}/",
        f"/signatures/confirm/{token}/",
        "/signatures/confirm/not-a-token/",
        "/signatures/withdraw/not-a-token/",
        "/signoff/not-a-token/",
        "/press/unsubscribe/not-a-token/",
        "/press/preview/not-a-token/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/key/1-set-password/",
        "/admin/",
        "/admin/statements/statement/",
        # Errors and redirects are not kept either.
        "/statements/no-such-statement/",
        f"/statements/{statement.slug}/share-0000.png",
    ]


def test_no_tokenized_or_staff_page_is_ever_public(client, statement):
    for url in tokenized_urls(statement):
        response = client.get(url)
        cache_control = response.get("Cache-Control", "")
        assert "public" not in cache_control, url
        assert cache_control in (PRIVATE, NEVER_CACHE), url


def test_staff_pages_are_private_for_staff_too(staff_client, statement):
    for url in ["/admin/", reverse("admin:statements_statement_changelist"), "/accounts/2fa/"]:
        response = staff_client.get(url)
        assert response.status_code in (200, 302), url
        assert response["Cache-Control"] in (PRIVATE, NEVER_CACHE), url
        assert "Cookie" in response["Vary"], url


def test_a_public_page_read_with_a_session_is_not_kept(outsider, client, statement):
    # The outsider's session is saved again on the way out: a cookie no proxy may hand on.
    response = client.get(f"/statements/{statement.slug}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_form_answer_is_not_kept(client):
    open_statement = make_open_statement(slug="open-two")
    response = client.post(f"/statements/{open_statement.slug}/sign/", cosign_data())
    assert response["Cache-Control"] in (PRIVATE, NEVER_CACHE)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response["Cache-Control"] == PRIVATE


def test_a_cacheable_page_that_sets_a_cookie_is_made_private(rf, settings):
    from django.http import HttpResponse

    from core.http import cacheable
    from core.middleware import CacheControlMiddleware

    @cacheable
    def page(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    response = CacheControlMiddleware(page)(rf.get("/"))
    assert response["Cache-Control"] == PRIVATE


def cacheable_names(patterns, prefix="") -> set[str]:
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            inner = cacheable_names(pattern.url_patterns, prefix)
            found |= {namespace} if namespace == "api" and inner else inner
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "cacheable", False):
            found.add(pattern.name)
    return found


def test_only_the_public_pages_are_declared_cacheable():
    # A tokenized or staff page made cacheable by mistake would show here.
    assert cacheable_names(get_resolver().url_patterns) == CACHEABLE
