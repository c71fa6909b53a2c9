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


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite ranks without a stored document")
def test_the_stored_search_document_follows_the_text_and_the_demands():
    from statements.models import Demand
    from tests.factories import make_statement

    statement = make_statement(title="Open the crossings")

    def document_has(word: str, config: str = "english") -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_document @@ to_tsquery(%s::regconfig, %s),"
                " search_document = statements_search_document(language, title, standfirst,"
                " body, id) FROM statements_statement WHERE id = %s",
                [config, word, statement.pk],
            )
            has, current = cursor.fetchone()
        assert current
        return has

    assert document_has("crossing")
    Statement.objects.filter(pk=statement.pk).update(title="Lift the siege")
    assert not document_has("crossing") and document_has("siege")
    demand = Demand.objects.create(statement=statement, heading="Access", text="Olive groves")
    # Demands word for word, as their index has them.
    assert document_has("olive", "simple")
    Demand.objects.filter(pk=demand.pk).update(text="Fuel")
    assert not document_has("olive", "simple") and document_has("fuel", "simple")
    demand.delete()
    assert not document_has("fuel", "simple")
