"""No log line names the secret of an emailed link: Django's, the development server's
and gunicorn's access log."""

import datetime
import io
import json
import logging
import re
import runpy
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from gunicorn.config import Config

from core.logs import RedactSecrets, redacted

pytestmark = pytest.mark.django_db

SECRET = "Zq8Hk2mW9xR4tY7uJ1nB5vC3eF6gA0sD_-LpQoIwEr"  # as core.tokens makes them
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def console():
    """What the console handler of LOGGING (config/settings.py) prints during the test."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecrets) for f in h.filters)
    ]
    printed = io.StringIO()
    previous = handler.setStream(printed)
    yield printed
    handler.setStream(previous)


@pytest.mark.parametrize(
    "path",
    [
        f"/signatures/confirm/{SECRET}/",
        f"/signatures/withdraw/{SECRET}/",
        f"/signoff/{SECRET}/",
        f"/press/unsubscribe/{SECRET}/",
        f"/press/preview/{SECRET}/",
        f"/cosign/{SECRET}/",
        f"/cosign/{SECRET}/resend/",
    ],
)
def test_django_logs_a_link_s_404_without_its_secret(client, console, path):
    assert client.get(path).status_code == 404
    printed = console.getvalue()
    assert f"Not Found: {path.replace(SECRET, '[secret]')}" in printed
    assert SECRET not in printed


def test_an_exception_s_traceback_is_cleaned_too(console):
    try:
        raise ValueError(f"no such link: /signoff/{SECRET}/")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /signoff/x/")
    printed = console.getvalue()
    assert "ValueError: no such link: /signoff/[secret]/" in printed
    assert SECRET not in printed


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_route_taking_a_token_or_key_is_cleaned():
    secret_routes = [
        route
        for route in _routes(get_resolver().url_patterns)
        if re.search(r"<\w+:(token|key)>", route)
    ]
    assert len(secret_routes) >= 8
    for route in secret_routes:
        path = "/" + re.sub(r"<\w+:(token|key)>", SECRET, route)
        assert SECRET not in redacted(f'"GET {path} HTTP/1.1" 200'), route


def test_gunicorn_s_access_log_prints_neither_the_path_nor_the_referer_s_secret(capsys):
    config = Config()
    config.set("accesslog", "-")
    logger = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"](config)
    response = type("Response", (), {"status": "404 Not Found", "headers": [], "sent": 179})()
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/signatures/confirm/{SECRET}/",
        "PATH_INFO": f"/signatures/confirm/{SECRET}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://statements.example.org/press/preview/{SECRET}/",
    }
    logger.access(response, [], environ, datetime.timedelta(milliseconds=3))
    printed = capsys.readouterr().out
    assert '"GET /signatures/confirm/[secret]/ HTTP/1.1" 404 179' in printed
    assert '"https://statements.example.org/press/preview/[secret]/"' in printed
    assert SECRET not in printed


def test_gunicorn_s_logs_are_json_lines_with_log_format_json(capsys, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = Config()
    config.set("accesslog", "-")
    logger = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"](config)
    response = type("Response", (), {"status": "200 OK", "headers": [], "sent": 12})()
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/press/unsubscribe/{SECRET}/",
        "PATH_INFO": f"/press/unsubscribe/{SECRET}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    logger.access(response, [], environ, datetime.timedelta(milliseconds=3))
    logger.error("Worker timeout")
    out, err = capsys.readouterr()
    [access] = [json.loads(line) for line in out.splitlines()]
    assert access["logger"] == "gunicorn.access"
    assert '"GET /press/unsubscribe/[secret]/ HTTP/1.1" 200 12' in access["message"]
    [error] = [json.loads(line) for line in err.splitlines()]
    assert (error["level"], error["logger"], error["message"]) == (
        "ERROR",
        "gunicorn.error",
        "Worker timeout",
    )


def test_a_private_link_s_page_does_not_pass_its_address_on(client):
    response = client.get(f"/signatures/confirm/{SECRET}/")
    assert response["Referrer-Policy"] == "strict-origin"
    # Other pages keep the site's policy.
    assert client.get("/")["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("bind", "meta_key", "warned"),
    [
        (["unix:/run/jointly.sock"], "", True),
        (["unix:/run/jointly.sock"], "HTTP_X_REAL_IP", False),
        (["127.0.0.1:8000"], "", False),
    ],
)
def test_gunicorn_says_at_start_up_when_visitors_have_no_address(
    monkeypatch, bind, meta_key, warned
):
    monkeypatch.setenv("RATELIMIT_IP_META_KEY", meta_key)
    config = Config()
    config.set("bind", bind)
    warnings = []
    server = type("Arbiter", (), {"cfg": config, "log": type("Log", (), {})()})()
    server.log.warning = warnings.append
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["on_starting"](server)
    assert bool(warnings) == warned
    assert all("Set RATELIMIT_IP_META_KEY" in warning for warning in warnings)
