"""The indexes the full-text search of statements/search.py runs on.

What people find with it is tested through the search page: tests/front/test_search.py.
"""

import pytest
from django.db import connection

from statements.models import Statement
from statements.search import statements_search

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def test_the_search_indexes_exist_where_the_database_can_use_them():
    with connection.cursor() as cursor:
        indexes = {
            name
            for table in ("statements_statement", "statements_demand")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    # SQLite has no full-text search: migration 0005 leaves it without these indexes.
    expected = {"statement_search", "demand_search"} if ON_POSTGRESQL else set()
    assert indexes & {"statement_search", "demand_search"} == expected
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            # Tables this small are read whole; forbidding that shows whether the
            # indexes fit the expressions searched, which is what a change can break.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = statements_search(Statement.objects.public(), "ceasefire").explain()
        assert "statement_search" in plan
        assert "demand_search" in plan
