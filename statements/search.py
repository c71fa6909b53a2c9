"""Full-text search of statements: what the search page and the API's ?q= match and rank.

On PostgreSQL statements match and rank on stored, indexed vectors (migrations 0010 and
0012); SQLite (the embedded default) has no full-text search and matches word by word.
"""

import sys
from functools import cached_property, reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber
from django.db.models.lookups import GreaterThan

from statements.models import Demand, Statement

# PostgreSQL's text-search configuration for each language, so that "strikes"
# finds "strike" and "frappes" finds "frappe". Kurdish has none: "simple" only
# lower-cases words. The stored search vectors are built with these (migrations 0010
# and 0012): a change here needs a migration that rebuilds them.
SEARCH_CONFIGS = {
    "en": "english",
    "ar": "arabic",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "tr": "turkish",
}
# Around the matched words in a search headline: characters no statement
# contains, replaced by <mark> once the rest of the headline is escaped.
SEARCH_MARK_START, SEARCH_MARK_STOP = "\ue000", "\ue001"
# On PostgreSQL, the newest matches ranked by how well they match; older ones follow,
# newest first. Ranking every match of a word most statements contain cost 40 ms at
# 5,000 statements, and grows with the site; each hundred ranked costs about 1.5 ms.
SEARCH_RANKED = 200


class StoredVector(models.Expression):
    """A tsvector column of statements or demands that a migration adds and PostgreSQL
    keeps current, on PostgreSQL only: `search_document`, a statement's text and demands
    weighted for ranking (migration 0010); `search_text`, its text alone, and a demand's
    `search_document`, for matching (migration 0012).

    Not model fields: other queries loading statements or demands would carry them.
    """

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{compiler.quote_name(self.column)}", []


def per_language(expression):
    """expression(config) in each statement's own text-search configuration.

    One branch per language with its configuration as a constant, rather than
    the configuration picked per row inside one expression: Django relabels
    its columns inside subqueries.
    """
    return Case(
        *(When(language=code, then=expression(config)) for code, config in SEARCH_CONFIGS.items()),
        default=expression("simple"),
    )


def statements_search(statements, query: str):
    """Statements matching a visitor's query, best first.

    On PostgreSQL, full-text search in each statement's own language: a
    statement matches when its text (headline, standfirst, body) holds every
    word of the query, or one of its demands does, and ranks by where the
    words are, the headline weighing most; only the newest SEARCH_RANKED
    matches are ranked, the others follow them newest first. SQLite (the
    embedded default) has no full-text search: there every word must appear
    in the headline, standfirst, body or demands, and headline hits come first.
    """
    if not query.split():
        return statements.none()
    if connections[statements.db].vendor == "postgresql":
        return _full_text_search(statements, search_query(query))
    return _words_search(statements, query.split())


def search_query(query: str) -> SearchQuery:
    # The query is read in every language at once, each statement matching
    # it in its own: one query for every row, which the indexes can answer.
    return reduce(
        or_,
        (
            SearchQuery(query, config=config, search_type="websearch")
            for config in (*SEARCH_CONFIGS.values(), "simple")
        ),
    )


def with_headlines(statements, query: str):
    """The statements, each with a `headline`: an excerpt of its standfirst and body
    with the matched words between SEARCH_MARK_START and SEARCH_MARK_STOP; empty on
    SQLite. An excerpt costs more than matching and ranking a statement: cut them for
    the statements shown only."""
    if connections[statements.db].vendor != "postgresql":
        return statements.annotate(headline=Value(""))
    return statements.annotate(
        headline=per_language(
            lambda config: SearchHeadline(
                Concat("standfirst", Value("\n\n"), "body", output_field=models.TextField()),
                search_query(query),
                config=config,
                start_sel=SEARCH_MARK_START,
                stop_sel=SEARCH_MARK_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    )


class SearchResults:
    """statements_search(statements, query) as a Paginator's object list, for the page
    `number` of `size` statements only, in two queries however many match: the ids of
    the page's statements and the number of matches, then those statements (from
    `statements`) with their headlines. A paginated queryset would count the matches
    in a query of its own, and PostgreSQL computes the selected columns of the rows an
    OFFSET skips: every earlier page's headlines.

    Another page than `number` is an IndexError.
    """

    def __init__(self, statements, query: str, *, number: int, size: int):
        self.statements, self.query = statements, query
        self.offset, self.size = (number - 1) * size, size

    @cached_property
    def _ids_and_count(self) -> tuple[list[int], int]:
        if self.offset + self.size > sys.maxsize:
            return [], 0  # past any last page, and past the database's integers
        rows = list(
            statements_search(self.statements, self.query)
            .annotate(matches=Window(Count("*")))
            .values_list("pk", "matches")[self.offset : self.offset + self.size]
        )
        # Past the last page there is no row to carry the count; Paginator then finds
        # the page out of range, as it would with the count.
        return [pk for pk, _ in rows], rows[0][1] if rows else 0

    def count(self) -> int:
        return self._ids_and_count[1]

    def __getitem__(self, rows: slice) -> list:
        if rows.start != self.offset:
            raise IndexError(rows)
        ids = self._ids_and_count[0]
        found = with_headlines(self.statements.filter(pk__in=ids), self.query).in_bulk()
        return [found[pk] for pk in ids]


def _words_search(statements, words: list[str]):
    statements = statements.alias(
        demands_text=Subquery(
            Demand.objects.filter(statement=OuterRef("pk"))
            .values("statement")
            .annotate(
                text=StringAgg(
                    Concat("heading", Value(" "), "text", output_field=models.TextField()),
                    Value(" "),
                )
            )
            .values("text")
        )
    )
    for word in words:
        statements = statements.filter(
            Q(title__icontains=word)
            | Q(standfirst__icontains=word)
            | Q(body__icontains=word)
            | Q(demands_text__icontains=word)
        )
    title_hits = sum(Case(When(title__icontains=word, then=1), default=0) for word in words)
    return statements.annotate(title_hits=title_hits).order_by(
        "-title_hits", "-release_date", "-published_at", "-id"
    )


def _full_text_search(statements, search_query: SearchQuery):
    # Two lookups in the indexes rather than one OR over both, which would
    # make PostgreSQL read every statement's text.
    in_text = Statement.objects.alias(document=StoredVector("search_text")).filter(
        document=search_query
    )
    in_demands = Demand.objects.alias(document=StoredVector("search_document")).filter(
        document=search_query
    )
    matches = statements.filter(
        Q(pk__in=in_text.values("pk")) | Q(pk__in=in_demands.values("statement"))
    )
    # Ranking reads each statement's document out of its TOAST table: for every match
    # of a word most statements contain, that cost more than the rest of the search.
    # The newest are told by their place among the matches, numbered as they are read:
    # a subquery of the newest would match them all over again.
    newest = Window(
        RowNumber(), order_by=[F("release_date").desc(), F("published_at").desc(), F("id").desc()]
    )
    # A ranked match's document is read by a lookup of its own rather than as a column
    # of the matches: needing no column outside the archive's index (migration 0011),
    # the matches can be read newest first from that index alone, without visiting
    # each row or sorting them.
    rank = Subquery(
        Statement.objects.filter(pk=OuterRef("pk"))
        .order_by()
        .annotate(rank=SearchRank(StoredVector("search_document"), search_query))
        .values("rank")
    )
    return matches.annotate(
        rank=Case(When(GreaterThan(Value(SEARCH_RANKED + 1), newest), then=rank))
    ).order_by(F("rank").desc(nulls_last=True), "-release_date", "-published_at", "-id")
