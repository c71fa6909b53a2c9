"""Celery in production's shape: readiness sees a worker, a request's id follows it into
its tasks, two beats send each entry once, a killed worker's task runs again."""

import pytest
from celery.signals import task_prerun
from django.conf import settings as django_settings
from django.urls import reverse

from core import health
from core.requestid import request_id
from tests.factories import cosign_data, make_open_statement
from tests.support import wait_for

pytestmark = [
    pytest.mark.realstack,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
]


@pytest.fixture
def ids_at_start():
    """The request id each task started with in the worker, by task name."""
    seen: dict[str, str] = {}

    def record(task=None, **kwargs):
        seen[task.name] = request_id.get()

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


def test_readiness_sees_a_worker_and_redis(client, celery_worker):
    health.Worker.seen_at = 0.0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.json() == {"database": "ok", "migrations": "ok", "redis": "ok", "worker": "ok"}
    assert response.status_code == 200


def test_readiness_fails_without_a_worker(client):
    health.Worker.seen_at = 0.0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["worker"] == "Unavailable: Celery workers unavailable"
    assert response.json()["redis"] == "ok"


def test_a_request_id_follows_the_request_into_the_task_it_queues(
    client, celery_worker, smtp_port, ids_at_start
):
    statement = make_open_statement()
    response = client.post(
        reverse("cosign", args=[statement.slug]),
        cosign_data(),
        HTTP_X_REQUEST_ID="cosign-request-0001",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "cosign-request-0001"
    assert wait_for(lambda: "statements.tasks.send_email" in ids_at_start), "no task ran"
    assert ids_at_start["statements.tasks.send_email"] == "cosign-request-0001"
    # The worker's next task, queued by no request, starts without it.
    from statements.tasks import send_unsent_emails

    send_unsent_emails.delay()
    assert wait_for(lambda: "statements.tasks.send_unsent_emails" in ids_at_start)
    assert ids_at_start["statements.tasks.send_unsent_emails"] == ""
