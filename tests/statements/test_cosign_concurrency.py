"""Two signers of one new organization confirming at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection, transaction

from organizations.models import Organization
from statements.services import cosigning
from tests.factories import confirm_token, make_open_statement, submitted
from tests.support import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite runs one writer at a time"
    ),
]


def someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_two_confirmations_of_one_new_organization_make_it_once():
    first = submitted(make_open_statement(), organization_name="Harbour Workers Union")
    second = submitted(make_open_statement(), organization_name="HARBOUR WORKERS UNION")
    first_token, second_token = confirm_token(first), confirm_token(second)
    inside, release = threading.Event(), threading.Event()
    errors = []

    def confirm_and_hold():
        try:
            # The first confirmation stays open, as if its request were slow to finish.
            with transaction.atomic():
                assert cosigning.signature_confirm(token=first_token).acted
                inside.set()
                release.wait()
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            inside.set()
            connection.close()

    def confirm():
        try:
            assert cosigning.signature_confirm(token=second_token).acted
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=confirm_and_hold)
    holder.start()
    inside.wait()
    other = threading.Thread(target=confirm)
    other.start()
    try:
        # The second one waits for the first, which made the organization, to finish.
        waited = wait_for(someone_waits_for_a_lock)
    finally:
        release.set()
        holder.join()
        other.join()

    assert errors == []
    assert waited
    [organization] = Organization.objects.all()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.organization == second.organization == organization
    assert (first.organization_created, second.organization_created) == (True, False)
