"""/health/live/ and /health/ready/ (core/health.py)."""

import logging

import pytest

from core import health
from tests.support import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_memory(settings):
    health.Migrations.applied = False
    health.Worker.seen_at = 0.0
    # The embedded default's checks unless a test gives a Redis.
    settings.REDIS_URL = ""
    yield
    health.Migrations.applied = False
    health.Worker.seen_at = 0.0


def test_liveness_answers_without_a_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"process: ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_the_answers_are_never_cached_and_start_no_session(client):
    for path in ("/health/live/", "/health/ready/"):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_they_answer_any_host_over_plain_http(client, settings):
    # A load balancer asks the machine's address, over HTTP, behind an HTTPS site.
    settings.ALLOWED_HOSTS = ["statements.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/health/live/", "/health/ready/"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8000")
        assert response.status_code == 200, path


def test_they_carry_a_request_id(client):
    response = client.get("/health/live/", HTTP_X_REQUEST_ID="lb-probe-12345")
    assert response["X-Request-ID"] == "lb-probe-12345"


def test_readiness_checks_the_database_and_migrations(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.content == b"database: ok\nmigrations: ok\n"


def test_readiness_answers_json_when_asked(client):
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok"}
    assert client.get("/health/ready/?format=json").json() == response.json()


def test_readiness_fails_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("a", False)]
    )
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["migrations"] == "Unavailable: 1 migrations not applied"


def test_readiness_fails_without_redis_and_logs_no_error(client, settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.INFO):
        response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    states = response.json()
    assert states["database"] == "ok"
    assert states["redis"].startswith("Unavailable: Unable to connect to Redis")
    assert states["worker"].startswith("Unavailable")
    assert "127.0.0.1" not in response.content.decode()  # no address of ours is shown
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_other_paths_are_left_to_the_site(client):
    assert client.get("/health/").status_code == 404
    assert client.get("/health/ready").status_code in (301, 404)
