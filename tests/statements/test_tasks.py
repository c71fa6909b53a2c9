"""Scheduled publishing through a real Celery worker and the configured broker.

The broker is Redis when REDIS_URL is set (as in CI) and the folder transport
of `make run` otherwise; either way the task travels through it.
"""

import datetime
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from statements.models import Statement
from statements.tasks import publish_due_statements
from tests.factories import make_statement

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    saved = {key: app.conf[key] for key in ("task_default_queue", "broker_transport_options")}
    # A queue of our own, so a developer's running worker cannot take our tasks.
    queue = f"test-{uuid.uuid4().hex}"
    app.conf.task_default_queue = queue
    if app.conf.broker_url.startswith("filesystem"):
        folder = str(tmp_path / "broker")
        (tmp_path / "broker").mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": str(tmp_path / "control"),
        }
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        app.conf.update(saved)


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_beat_runs_the_publishing_sweep():
    entry = app.conf.beat_schedule["publish-due-statements"]
    assert entry["task"] == publish_due_statements.name
    assert entry["task"] in app.tasks


def test_a_worker_publishes_a_statement_whose_time_has_come(worker):
    past = timezone.now() - datetime.timedelta(minutes=1)
    due = make_statement(status=Statement.Status.SCHEDULED, publish_at=past)
    future = make_statement(
        status=Statement.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(hours=1)
    )

    publish_due_statements.delay()

    def published() -> bool:
        return Statement.objects.get(pk=due.pk).status == Statement.Status.PUBLISHED

    assert wait_for(published), "the worker did not publish the due statement"
    due.refresh_from_db()
    assert due.published_at == past
    assert Statement.objects.get(pk=future.pk).status == Statement.Status.SCHEDULED
