"""Co-signers' personal data is erased once the retention rules say it has been kept long
enough; the signatures stay, so the counts do."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from statements.models import OutgoingEmail, Signature, SignatureToken, Statement
from statements.services import cosigning, lifecycle
from statements.services.retention import signer_data_erase_expired
from statements.tasks import erase_expired_signer_data
from tests.config.test_settings import PRODUCTION, manage
from tests.factories import (
    confirm_token,
    confirmed,
    make_open_statement,
    make_signatures,
    submitted,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - n * DAY


def approved(statement: Statement, staff, **overrides) -> Signature:
    signature = confirmed(statement, **overrides)
    cosigning.signature_approve(signature=signature, by=staff)
    signature.refresh_from_db()
    return signature


def other(name: str) -> dict:
    """Another organization than the factories' own, by name and website."""
    return {"organization_name": f"{name} Org", "website": f"https://{name.lower()}.example.org"}


def closed(statement: Statement, days: int) -> Statement:
    Statement.objects.filter(pk=statement.pk).update(cosign_closes_at=days_ago(days))
    return statement


def signer(signature: Signature) -> tuple:
    signature.refresh_from_db()
    return (
        signature.signer_name,
        signature.signer_title,
        signature.signer_email,
        signature.signer_phone,
        signature.message,
    )


def test_a_statement_closed_past_the_retention_time_loses_its_signers_and_keeps_its_signatures(
    staff,
):
    statement = make_open_statement()
    signature = approved(statement, staff)
    make_signatures(statement, 2)
    closed(statement, settings.RETENTION_SIGNER_DAYS + 1)
    listed = Signature.objects.filter(statement=statement).listed().count()

    assert signer_data_erase_expired() == [signature.pk]

    assert signer(signature) == ("", "", "", "", "")
    assert signature.erased_at is not None
    assert signature.state == Signature.State.APPROVED
    assert signature.organization.name == "Rukban Aid Committee"
    assert signature.organization_name == "Rukban Aid Committee"
    assert signature.confirmed_at is not None and signature.decided_at is not None
    # What the signer agreed to, and when, names nobody once they are gone: it stays.
    assert signature.consent_text and signature.consented_at
    assert Signature.objects.filter(statement=statement).listed().count() == listed == 3


def test_a_statement_closed_more_recently_keeps_its_signers(staff):
    statement = closed(make_open_statement(), settings.RETENTION_SIGNER_DAYS - 1)
    signature = approved(statement, staff)

    assert signer_data_erase_expired() == []
    assert signer(signature)[2] == "layla@rukban.example.org"


def test_a_statement_still_open_keeps_its_signers_however_old(staff):
    statement = make_open_statement()
    signature = approved(statement, staff)
    Signature.objects.filter(pk=signature.pk).update(decided_at=days_ago(1000))

    assert signer_data_erase_expired() == []


def test_an_archived_statement_loses_its_signers_past_the_retention_time(staff):
    old, recent = make_open_statement(), make_open_statement()
    erased, kept = approved(old, staff), approved(recent, staff)
    for statement in (old, recent):
        lifecycle.statement_archive(statement=statement, by=staff)
    Statement.objects.filter(pk=old.pk).update(
        archived_at=days_ago(settings.RETENTION_SIGNER_DAYS + 1)
    )

    assert signer_data_erase_expired() == [erased.pk]
    assert signer(kept)[0] == "Layla Haddad"


def test_archiving_records_when(staff):
    statement = make_open_statement()
    lifecycle.statement_archive(statement=statement, by=staff)
    statement.refresh_from_db()
    assert timezone.now() - statement.archived_at < datetime.timedelta(minutes=1)


def test_a_retracted_statement_loses_its_signers_past_the_retention_time(staff):
    statement = make_open_statement()
    signature = approved(statement, staff)
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.RETRACTED,
        retracted_at=days_ago(settings.RETENTION_SIGNER_DAYS + 1),
        retraction_note="Superseded.",
    )

    assert signer_data_erase_expired() == [signature.pk]


def test_rejected_withdrawn_and_unconfirmed_signatures_are_erased_sooner(staff):
    statement = make_open_statement()
    soon = settings.RETENTION_UNFINISHED_DAYS + 1
    rejected = confirmed(statement, **other("Rejected"))
    cosigning.signature_reject(signature=rejected, by=staff)
    Signature.objects.filter(pk=rejected.pk).update(decided_at=days_ago(soon))
    withdrawn = submitted(statement, **other("Withdrawn"))
    Signature.objects.filter(pk=withdrawn.pk).update(
        state=Signature.State.WITHDRAWN, withdrawn_at=days_ago(soon)
    )
    unconfirmed = submitted(statement, **other("Silent"))
    confirm_token(unconfirmed)
    SignatureToken.objects.filter(signature=unconfirmed).update(created_at=days_ago(soon))
    Signature.objects.filter(pk=unconfirmed.pk).update(created_at=days_ago(soon))

    assert sorted(signer_data_erase_expired()) == sorted(
        [rejected.pk, withdrawn.pk, unconfirmed.pk]
    )
    for signature in (rejected, withdrawn, unconfirmed):
        assert signer(signature) == ("", "", "", "", "")
    assert {s.state for s in (rejected, withdrawn, unconfirmed)} == {
        "rejected",
        "withdrawn",
        "submitted",
    }
    assert Signature.objects.filter(statement=statement).count() == 3


def test_a_signer_asked_again_recently_to_confirm_is_kept(staff):
    statement = make_open_statement()
    signature = submitted(statement)
    Signature.objects.filter(pk=signature.pk).update(
        created_at=days_ago(settings.RETENTION_UNFINISHED_DAYS + 10)
    )
    confirm_token(signature)  # the resent email's link, sent today

    assert signer_data_erase_expired() == []


def test_unfinished_signatures_more_recent_and_those_awaiting_approval_are_kept(staff):
    statement = make_open_statement()
    rejected = confirmed(statement, **other("Rejected"))
    cosigning.signature_reject(signature=rejected, by=staff)
    waiting = confirmed(statement, **other("Waiting"))
    Signature.objects.filter(pk=waiting.pk).update(confirmed_at=days_ago(400))

    assert signer_data_erase_expired() == []
    assert signer(rejected)[0] == signer(waiting)[0] == "Layla Haddad"


def test_erasure_takes_the_links_and_the_address_of_the_emails_owed(staff):
    statement = make_open_statement()
    signature = submitted(statement)
    confirm_token(signature)
    closed(statement, settings.RETENTION_SIGNER_DAYS + 1)
    emails = OutgoingEmail.objects.filter(signature=signature)
    assert emails.count() == 1

    signer_data_erase_expired()

    assert not SignatureToken.objects.filter(signature=signature).exists()
    email = emails.get()
    assert email.to == ""
    assert email.failed_at is not None and email.sent_at is None


def test_erasure_overwrites_the_signer_in_the_audit_log(staff):
    statement = make_open_statement()
    signature = approved(statement, staff)
    entry = LogEntry.objects.log_create(
        signature,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={
            "signer_email": ["", "layla@rukban.example.org"],
            "signer_name": ["", "Layla Haddad"],
            "state": ["confirmed", "approved"],
        },
        object_repr="Layla Haddad <LAYLA@rukban.example.org>",
    )
    closed(statement, settings.RETENTION_SIGNER_DAYS + 1)

    signer_data_erase_expired()

    entry.refresh_from_db()
    assert entry.changes == {
        "signer_email": ["", "[erased]"],
        "signer_name": ["", "[erased]"],
        "state": ["confirmed", "approved"],
    }
    assert entry.object_repr == "[erased] <[erased]>"


def test_each_statement_erased_gets_an_audit_entry_and_a_second_run_erases_nothing(staff, caplog):
    statement = make_open_statement()
    first = approved(statement, staff)
    second = approved(statement, staff, **other("Second"))
    closed(statement, settings.RETENTION_SIGNER_DAYS + 1)

    with caplog.at_level("INFO", logger="statements.services.retention"):
        assert erase_expired_signer_data() == 2

    entry = LogEntry.objects.get(additional_data__event="signer_data_erased")
    assert entry.object_pk == str(statement.pk)
    assert entry.additional_data == {
        "event": "signer_data_erased",
        "signatures": [first.pk, second.pk],
        "count": 2,
    }
    assert f"2 signatures on statement {statement.pk}: [{first.pk}, {second.pk}]" in caplog.text

    assert erase_expired_signer_data() == 0
    assert LogEntry.objects.filter(additional_data__event="signer_data_erased").count() == 1


def test_signing_again_after_withdrawing_an_erased_signature_keeps_the_new_signer(staff):
    statement = make_open_statement()
    signature = submitted(statement)
    Signature.objects.filter(pk=signature.pk).update(
        state=Signature.State.WITHDRAWN,
        withdrawn_at=days_ago(settings.RETENTION_UNFINISHED_DAYS + 1),
    )
    signer_data_erase_expired()

    again = submitted(statement, signer_name="Omar Haddad")

    assert again.pk == signature.pk
    assert again.erased_at is None
    assert signer(again)[0] == "Omar Haddad"


def test_a_run_costs_as_many_queries_for_many_signers_as_for_few(staff):
    def queries_erasing(count: int) -> int:
        statement = make_open_statement()
        for n in range(count):
            approved(statement, staff, **other(f"Signer{n}"))
        closed(statement, settings.RETENTION_SIGNER_DAYS + 1)
        with CaptureQueriesContext(connection) as queries:
            assert len(signer_data_erase_expired()) == count
        return len(queries)

    queries_erasing(1)  # content types are looked up once, then cached
    assert queries_erasing(2) == queries_erasing(6)


def test_the_beat_schedule_runs_the_erasure_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-signer-data"]
    assert entry["task"] == "statements.tasks.erase_expired_signer_data"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {30}


def test_the_retention_times_default_to_a_year_and_a_month():
    assert settings.RETENTION_SIGNER_DAYS == 365
    assert settings.RETENTION_UNFINISHED_DAYS == 30
    assert settings.RETENTION_DELIVERY_DAYS == 365


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RETENTION_SIGNER_DAYS", "a year", "RETENTION_SIGNER_DAYS must be a whole number"),
        # Sooner would break a confirmation link while it still works.
        ("RETENTION_UNFINISHED_DAYS", "3", "RETENTION_UNFINISHED_DAYS must be at least 7"),
        # Sooner would break unsubscribe links while they still work.
        ("RETENTION_DELIVERY_DAYS", "100", "RETENTION_DELIVERY_DAYS must be at least 365"),
    ],
)
def test_a_retention_time_it_cannot_honour_stops_start_up(name, value, message):
    result = manage("check", env=PRODUCTION | {name: value})
    assert result.returncode != 0
    assert message in result.stderr
