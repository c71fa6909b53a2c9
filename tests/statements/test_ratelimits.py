"""The co-sign and resend forms' rate limits: per visitor address and per email address,
still counted when Redis is down, and never a 500 when the request has no address."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from statements.models import RateLimitCount, Signature
from statements.ratelimits import visitor_address
from tests.factories import cosign_data, make_open_statement
from tests.support import free_port, redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The production cache, pointing at a port where nothing listens."""
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")


def test_with_redis_down_the_co_sign_form_still_stops_one_address_and_says_so(
    client, redis_down, caplog
):
    statement = make_open_statement()
    url = reverse("cosign", args=[statement.slug])
    answers = [
        client.post(
            url,
            cosign_data(organization_name=f"Group {n}", website="", signer_email=f"s{n}@x.org"),
        ).status_code
        for n in range(25)
    ]
    # COSIGN_RATE_PER_IP is 20/h.
    assert answers == [302] * 20 + [429] * 5
    assert Signature.objects.count() == 20
    assert "rate limits cosign:ip and cosign:email counted in the database" in caplog.text
    assert RateLimitCount.objects.exists()


def test_with_redis_down_the_resend_form_still_stops_one_email(client, redis_down):
    statement = make_open_statement()
    url = reverse("cosign_resend", args=[statement.slug])
    answers = [
        client.post(url, {"email": "a@example.org"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(6)
    ]
    # COSIGN_RATE_PER_EMAIL is 5/h.
    assert answers == [200] * 5 + [429]


def test_counts_of_windows_that_ended_are_deleted(client, redis_down, settings):
    settings.COSIGN_RATE_PER_EMAIL = "1/h"
    statement = make_open_statement()
    url = reverse("cosign_resend", args=[statement.slug])
    assert client.post(url, {"email": "a@example.org"}).status_code == 200
    assert client.post(url, {"email": "a@example.org"}).status_code == 429
    RateLimitCount.objects.update(expires_at="2000-01-01T00:00Z")
    assert client.post(url, {"email": "a@example.org"}).status_code == 200
    assert not RateLimitCount.objects.filter(expires_at__year=2000).exists()


def test_a_request_without_a_visitor_address_is_limited_per_email_not_refused(
    client, settings, caplog
):
    # gunicorn on a Unix socket leaves REMOTE_ADDR empty.
    settings.COSIGN_RATE_PER_EMAIL = "2/h"
    statement = make_open_statement()
    url = reverse("cosign", args=[statement.slug])
    answers = [
        client.post(
            url, cosign_data(organization_name=f"Group {n}", website=""), REMOTE_ADDR=""
        ).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "No visitor address in REMOTE_ADDR" in errors[0].getMessage()
    assert "Set RATELIMIT_IP_META_KEY" in errors[0].getMessage()


def test_a_missing_proxy_header_is_no_500_either(client, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    statement = make_open_statement()
    url = reverse("cosign_resend", args=[statement.slug])
    assert client.post(url, {"email": "a@example.org"}).status_code == 200


@pytest.mark.parametrize(
    ("meta_key", "meta", "address"),
    [
        (None, {"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        (None, {"REMOTE_ADDR": ""}, None),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "198.51.100.7"}, "198.51.100.7"),
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "127.0.0.1"}, None),
        # The proxy appends the address it saw; what comes before it is the visitor's word.
        (
            "HTTP_X_FORWARDED_FOR",
            {"HTTP_X_FORWARDED_FOR": "10.1.1.1, 198.51.100.7"},
            "198.51.100.7",
        ),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "not an address"}, None),
        # One IPv6 visitor holds a whole /64.
        (None, {"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::"),
    ],
)
def test_the_visitor_address(settings, meta_key, meta, address):
    settings.RATELIMIT_IP_META_KEY = meta_key
    request = RequestFactory().post("/", **meta)
    if "REMOTE_ADDR" not in meta:
        del request.META["REMOTE_ADDR"]
    assert visitor_address(request) == address
