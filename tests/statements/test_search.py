"""The indexes and stored vectors the full-text search of statements/search.py runs on.

What people find with it is tested through the search page: tests/front/test_search.py.
"""

import datetime
import importlib

import pytest
from django.db import connection

from statements import search
from statements.models import Demand, Statement
from statements.search import statements_search
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def test_the_search_indexes_exist_where_the_database_can_use_them():
    with connection.cursor() as cursor:
        indexes = {
            name
            for table in ("statements_statement", "statements_demand")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    # SQLite has no full-text search: migrations 0002 and 0012 leave it without these.
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


def corpus() -> None:
    """Statements in several languages matching the words below in their title,
    standfirst, body or demands, some on the same day."""
    day = datetime.date(2024, 6, 1)
    texts = [
        ("en", "Ceasefire now", "", "Civilians must be protected.", ""),
        ("en", "Statement on the crossings", "The ceasefire must hold.", "Aid now.", ""),
        ("en", "Hospitals", "", "Strikes on hospitals killed civilians; a ceasefire.", ""),
        ("en", "Open the crossings", "", "Convoys wait.", "Ceasefire and aid convoys"),
        ("fr", "Les frappes contre les civils", "", "Un cessez-le-feu.", "ceasefire"),
        ("ar", "وقف إطلاق النار", "", "غزة", ""),
        ("ku", "Agirbest", "", "ceasefire ceasefire ceasefire", ""),
        ("en", "Aid convoys blocked", "Civilians starve.", "", "Open the crossings now"),
    ]
    for n, (language, title, standfirst, body, demand) in enumerate(texts):
        statement = make_statement(
            status=Statement.Status.PUBLISHED,
            language=language,
            title=title,
            standfirst=standfirst,
            body=body,
            release_date=day - datetime.timedelta(days=n // 2),
        )
        if demand:
            Demand.objects.create(statement=statement, heading="Demand", text=demand)


QUERIES = ["ceasefire", "civilians", "crossings aid", "convoys", '"aid convoys"', "غزة", "civils"]


def rebuilt_order(query: str) -> list[int]:
    """The order of statements.search before stored vectors: matched on the expressions
    migration 0002 indexed, ranked on the document rebuilt for every match."""
    from django.contrib.postgres.search import SearchRank, SearchVector
    from django.db.models import OuterRef, Q, StringAgg, Subquery, TextField, Value
    from django.db.models.functions import Concat

    (_, text_index), (_, demand_index) = importlib.import_module(
        "statements.migrations.0002_search"
    ).indexes()
    search_query = search.search_query(query)
    demands_text = Subquery(
        Demand.objects.filter(statement=OuterRef("pk"))
        .values("statement")
        .annotate(
            text=StringAgg(
                Concat("heading", Value(" "), "text", output_field=TextField()), Value(" ")
            )
        )
        .values("text")
    )
    in_text = Statement.objects.alias(document=text_index.expressions[0]).filter(
        document=search_query
    )
    in_demands = Demand.objects.alias(document=demand_index.expressions[0]).filter(
        document=search_query
    )
    document = search.per_language(
        lambda config: (
            SearchVector("title", config=config, weight="A")
            + SearchVector("standfirst", config=config, weight="B")
            + SearchVector("body", config=config, weight="C")
            + SearchVector("demands_text", config="simple", weight="C")
        )
    )
    return list(
        Statement.objects.public()
        .alias(demands_text=demands_text)
        .filter(Q(pk__in=in_text.values("pk")) | Q(pk__in=in_demands.values("statement")))
        .annotate(rank=SearchRank(document, search_query))
        .order_by("-rank", "-release_date", "-published_at", "-id")
        .values_list("pk", flat=True)
    )


def found(query: str) -> list[int]:
    return list(statements_search(Statement.objects.public(), query).values_list("pk", flat=True))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no stored vectors")
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction only
def test_the_ids_of_the_matches_are_read_from_the_archive_index_alone():
    corpus()
    with connection.cursor() as cursor:
        # What autovacuum does on a real site: the pages marked all-visible, so that an
        # index can answer alone. Whether it can is what a column added to the matches
        # breaks (a results page reads their ids only); a table this small would
        # otherwise be read whole.
        cursor.execute("VACUUM ANALYZE statements_statement")
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = statements_search(Statement.objects.public(), "ceasefire").values("pk").explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    assert "Index Only Scan using statement_archive" in plan


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no stored vectors")
def test_the_stored_vectors_find_and_order_what_the_rebuilt_ones_did():
    corpus()
    for query in QUERIES:
        assert found(query) == rebuilt_order(query), query
    assert found("ceasefire")[0] == Statement.objects.get(title="Ceasefire now").pk


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has no stored vectors")
def test_the_matching_vectors_follow_the_text_and_the_demands():
    statement = make_statement(title="Open the crossings", language="fr")
    demand = Demand.objects.create(statement=statement, heading="Access", text="Olive groves")

    def has(table: str, pk: int, config: str, word: str) -> bool:
        column = "search_text" if table == "statements_statement" else "search_document"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column} @@ to_tsquery(%s::regconfig, %s) FROM {table} WHERE id = %s",
                [config, word, pk],
            )
            return cursor.fetchone()[0]

    assert has("statements_statement", statement.pk, "french", "crossings")
    Statement.objects.filter(pk=statement.pk).update(body="Les frappes doivent cesser")
    assert has("statements_statement", statement.pk, "french", "frappe")
    Statement.objects.filter(pk=statement.pk).update(language="en", title="Lift the siege")
    assert has("statements_statement", statement.pk, "english", "siege")
    assert not has("statements_statement", statement.pk, "english", "crossing")
    assert has("statements_demand", demand.pk, "simple", "olive")
    Demand.objects.filter(pk=demand.pk).update(text="Fuel")
    assert has("statements_demand", demand.pk, "simple", "fuel")
    assert not has("statements_demand", demand.pk, "simple", "olive")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite ranks every match")
def test_past_the_newest_matches_ranked_the_others_follow_newest_first(monkeypatch):
    corpus()
    monkeypatch.setattr(search, "SEARCH_RANKED", 3)
    order = Statement.objects.in_bulk(found("ceasefire"))
    matches = sorted(
        order.values(), key=lambda s: (s.release_date, s.published_at, s.pk), reverse=True
    )
    newest, older = matches[:3], matches[3:]
    ranked = [s.pk for s in sorted(newest, key=lambda s: rebuilt_order("ceasefire").index(s.pk))]
    assert found("ceasefire") == ranked + [s.pk for s in older]
    monkeypatch.setattr(search, "SEARCH_RANKED", 1000)
    assert found("ceasefire") == rebuilt_order("ceasefire") != ranked + [s.pk for s in older]
