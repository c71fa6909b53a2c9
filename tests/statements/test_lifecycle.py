import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from statements.models import Statement
from statements.services import lifecycle
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 26, 9, 0, tzinfo=datetime.UTC)


def test_publishing_makes_a_draft_public_with_the_time(staff):
    statement = make_statement()
    lifecycle.statement_publish(statement=statement, now=NOW, by=staff)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.published_at == NOW
    assert statement.is_public()


def test_a_statement_printing_no_date_is_dated_the_day_it_goes_out(settings, staff):
    settings.TIME_ZONE = "Asia/Damascus"
    late_evening = datetime.datetime(2026, 3, 1, 22, 30, tzinfo=datetime.UTC)
    statement = make_statement(release_date=None)
    lifecycle.statement_publish(statement=statement, now=late_evening, by=staff)
    statement.refresh_from_db()
    assert statement.release_date == datetime.date(2026, 3, 2)

    scheduled = make_statement(release_date=None)
    lifecycle.statement_schedule(
        statement=scheduled,
        publish_at=late_evening,
        now=late_evening - datetime.timedelta(days=1),
        by=staff,
    )
    scheduled.refresh_from_db()
    assert scheduled.release_date == datetime.date(2026, 3, 2)


def test_it_refuses_to_publish_twice(staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        lifecycle.statement_publish(statement=statement, by=staff)
    assert error.value.code == "already_public"


def test_scheduling_needs_a_time_in_the_future(staff):
    statement = make_statement()
    with pytest.raises(ValidationError) as error:
        lifecycle.statement_schedule(
            statement=statement, publish_at=NOW - datetime.timedelta(minutes=1), now=NOW, by=staff
        )
    assert error.value.code == "publish_at_in_past"
    lifecycle.statement_schedule(
        statement=statement, publish_at=NOW + datetime.timedelta(hours=1), now=NOW, by=staff
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED
    assert not statement.is_public()


def test_the_sweep_publishes_only_statements_whose_time_has_come(staff):
    due = make_statement()
    later = make_statement()
    lifecycle.statement_schedule(
        statement=due, publish_at=NOW, now=NOW - datetime.timedelta(days=1), by=staff
    )
    lifecycle.statement_schedule(
        statement=later,
        publish_at=NOW + datetime.timedelta(minutes=1),
        now=NOW - datetime.timedelta(days=1),
        by=staff,
    )
    assert lifecycle.statements_publish_due(now=NOW) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Statement.Status.PUBLISHED
    assert due.published_at == NOW
    assert due.publish_at is None
    assert later.status == Statement.Status.SCHEDULED
    # Running it again finds nothing more to do.
    assert lifecycle.statements_publish_due(now=NOW) == 0


def test_unscheduling_returns_to_draft(staff):
    statement = make_statement()
    lifecycle.statement_schedule(
        statement=statement, publish_at=timezone.now() + datetime.timedelta(days=1), by=staff
    )
    lifecycle.statement_unschedule(statement=statement, by=staff)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert statement.publish_at is None


def test_only_a_published_statement_is_archived(staff):
    with pytest.raises(ValidationError):
        lifecycle.statement_archive(statement=make_statement(), by=staff)
    statement = make_statement(status=Statement.Status.PUBLISHED)
    lifecycle.statement_archive(statement=statement, by=staff)
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.ARCHIVED


def test_retraction_needs_a_note_and_keeps_the_statement_public(staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        lifecycle.statement_retract(statement=statement, note="   ", by=staff)
    assert error.value.code == "retraction_note_missing"
    lifecycle.statement_retract(statement=statement, note="A figure was wrong.", now=NOW, by=staff)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED
    assert statement.retraction_note == "A figure was wrong."
    assert statement.retracted_at == NOW
    assert statement.is_public()


def test_a_retraction_is_corrected_only_by_another_statement_that_stands(staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    for correction in [
        statement,
        make_statement(),
        make_statement(status=Statement.Status.RETRACTED),
    ]:
        with pytest.raises(ValidationError) as error:
            lifecycle.statement_retract(
                statement=statement, note="Wrong.", corrected_by=correction, by=staff
            )
        assert error.value.code == "correction_not_public"
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    archived = make_statement(status=Statement.Status.ARCHIVED)
    lifecycle.statement_retract(statement=statement, note="Wrong.", corrected_by=archived, by=staff)
    assert Statement.objects.get(pk=statement.pk).corrected_by == archived


def test_a_draft_cannot_be_retracted(staff):
    with pytest.raises(ValidationError):
        lifecycle.statement_retract(statement=make_statement(), note="Why", by=staff)


def test_the_database_refuses_a_public_statement_without_dates():
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(title="x", slug="x", status=Statement.Status.PUBLISHED)


def test_the_database_refuses_a_scheduled_statement_without_a_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_statement(status=Statement.Status.SCHEDULED)


def test_the_database_refuses_an_unexplained_retraction():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_statement(status=Statement.Status.RETRACTED, retraction_note="")
