"""Request ids (core/requestid.py) and the JSON log lines that carry them (LOG_FORMAT=json)."""

import io
import json
import logging
import logging.config
import runpy
from pathlib import Path

import pytest
from celery.signals import task_prerun
from django.conf import settings as django_settings

from core.requestid import request_id, request_id_from
from statements.tasks import send_unsent_emails

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines(monkeypatch):
    """What the console prints during the test with the LOGGING of LOG_FORMAT=json."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    logging_setting = runpy.run_path(str(ROOT / "config" / "settings.py"))["LOGGING"]
    printed = io.StringIO()
    logging_setting["handlers"]["console"]["stream"] = printed
    logging.config.dictConfig(logging_setting)
    yield lambda: [json.loads(line) for line in printed.getvalue().splitlines()]
    logging.config.dictConfig(django_settings.LOGGING)


def test_a_request_gets_a_new_id_in_its_answer(client):
    first = client.get("/health/live/")["X-Request-ID"]
    second = client.get("/health/live/")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize(
    "sent",
    ["5f0c6f1e-8a53-4b1e-9d7e-0c3b2a1f4e5d", "0123456789abcdef", "req_2026.12.02:0001"],
)
def test_the_proxys_request_id_is_kept(client, sent):
    assert client.get("/health/live/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", ["", "short", "a" * 65, "two words here", 'quo"te-12345', "line\nbreak-12345"]
)
def test_an_odd_request_id_is_replaced(sent):
    made = request_id_from(sent)
    assert made != sent and len(made) == 32


def test_every_log_line_is_json_with_the_request_id(client, json_lines):
    response = client.get("/statements/no-such-statement/", HTTP_X_REQUEST_ID="req-from-proxy-1")
    assert response.status_code == 404
    logging.getLogger("jointly.test").warning("outside any request")

    lines = json_lines()
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert set(not_found) == {"time", "level", "logger", "message", "request_id", "status_code"}
    assert not_found["level"] == "WARNING"
    assert not_found["message"] == "Not Found: /statements/no-such-statement/"
    assert not_found["request_id"] == "req-from-proxy-1"
    assert lines[-1]["message"] == "outside any request"
    assert lines[-1]["request_id"] == ""


def test_json_lines_name_no_secret(client, json_lines):
    client.get("/signatures/confirm/Zq8Hk2mW9xR4tY7uJ1nB5vC3eF6gA0sD/")
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /signatures/confirm/[secret]/"


def test_a_task_run_where_it_is_queued_keeps_the_requests_id():
    seen = []

    def record(**kwargs):
        seen.append(request_id.get())

    task_prerun.connect(record, weak=False)
    token = request_id.set("eager-request-1")
    try:
        send_unsent_emails.delay()
    finally:
        request_id.reset(token)
        task_prerun.disconnect(record)
    assert seen == ["eager-request-1"]
