"""Scheduled publishing through a real Celery worker and the configured broker."""

import datetime

import pytest
from django.utils import timezone

from config.celery import app
from statements.models import Statement
from statements.tasks import publish_due_statements
from tests.factories import make_statement
from tests.support import wait_for

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


def test_beat_runs_the_publishing_sweep():
    entry = app.conf.beat_schedule["publish-due-statements"]
    assert entry["task"] == publish_due_statements.name
    assert entry["task"] in app.tasks


def test_a_worker_publishes_a_statement_whose_time_has_come(celery_worker):
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
