"""Error reports (core/sentry.py): sent to the DSN's server without personal data, and
nothing set up without a DSN."""

import gzip
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from wsgiref.simple_server import WSGIRequestHandler, make_server

import brotli
import pytest
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_patterns
from core import health
from core.sentry import sentry_init
from tests.config.celery_tasks import fail

pytestmark = pytest.mark.django_db

# Made here, so that the source lines the report quotes do not hold it.
SECRET = "tok3n-" + "q" * 22


@csrf_exempt
def boom(request, token):
    raise RuntimeError(f"boom at {request.path}")


urlpatterns = [path("signatures/confirm/<str:token>/", boom), *site_patterns]


class _Envelopes(BaseHTTPRequestHandler):
    """Keeps each envelope posted to it, as a Sentry server would take it."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        match self.headers.get("Content-Encoding"):
            case "gzip":
                body = gzip.decompress(body)
            case "br":
                body = brotli.decompress(body)
        self.server.envelopes.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Envelopes)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sentry_init(
        dsn=f"http://publickey@127.0.0.1:{server.server_port}/1",
        environment="staging",
        release="jointly@1.2.3",
        traces_sample_rate=0,
    )
    yield server
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent from here on
    server.shutdown()
    server.server_close()


def events(server) -> list[dict]:
    sentry_sdk.flush(timeout=5)
    found = []
    for envelope in server.envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_nothing_is_set_up_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


@pytest.fixture
def site():
    """The site's WSGI application on a port of its own, as gunicorn would serve it
    (Sentry reads the address and the headers there)."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=True)
def test_an_error_in_a_view_is_reported_without_the_persons_data(
    sentry_server, site, settings, staff_client
):
    settings.ROOT_URLCONF = __name__
    session = staff_client.cookies[settings.SESSION_COOKIE_NAME].value
    request = urllib.request.Request(
        f"{site}/signatures/confirm/{SECRET}/?ref=newsletter",
        data=b"email=signer%40example.org&name=Layla",
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; extra=a-cookie-value",
            "X-Forwarded-For": "198.51.100.7",
            "X-Real-IP": "198.51.100.8",
            "Referer": f"https://mail.example.org/signatures/confirm/{SECRET}/",
            "User-Agent": "test-agent",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 500

    [event] = events(sentry_server)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "boom at /signatures/confirm/[secret]/"
    assert (event["environment"], event["release"]) == ("staging", "jointly@1.2.3")
    assert event["request"]["url"] == f"{site}/signatures/confirm/[secret]/"
    assert event["request"]["method"] == "POST"
    assert event["request"]["headers"]["User-Agent"] == "test-agent"
    assert "user" not in event
    raw = b"".join(sentry_server.envelopes).decode()
    for private in (
        SECRET,
        "editor@example.org",
        "signer@example.org",
        "Layla",
        "198.51.100.7",
        "198.51.100.8",
        "a-cookie-value",
        session,
    ):
        assert private not in raw, raw[max(0, raw.find(private) - 300) : raw.find(private) + 100]


def test_an_unready_site_sends_no_event(sentry_server, client, monkeypatch):
    health.Migrations.applied = False
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("a", False)]
    )
    assert client.get("/health/ready/").status_code == 503
    assert events(sentry_server) == []


def test_an_error_in_a_task_is_reported_without_its_secret(sentry_server):
    fail.delay(f"/press/preview/{SECRET}/")
    [event] = events(sentry_server)
    [error] = event["exception"]["values"]
    assert error["value"] == "failed at /press/preview/[secret]/"
    assert error["mechanism"]["type"] == "celery"
    assert event["transaction"] == "tests.config.celery_tasks.fail"
    assert SECRET not in b"".join(sentry_server.envelopes).decode()
