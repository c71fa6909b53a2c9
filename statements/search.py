"""Full-text search of statements: what the search page and the API's ?q= match and rank.

On PostgreSQL the expressions below are indexed by the search migration; SQLite (the
embedded default) has no full-text search and matches word by word.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connections, models
from django.db.models import Case, OuterRef, Q, StringAgg, Subquery, Value, When
from django.db.models.functions import Concat

from statements.models import Demand, Statement

# PostgreSQL's text-search configuration for each language, so that "strikes"
# finds "strike" and "frappes" finds "frappe". Kurdish has none: "simple" only
# lower-cases words. The search migration indexes statements with these: a change
# here needs a migration that rebuilds the index.
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


class StoredSearchDocument(models.Expression):
    """The statement's text and demands as one weighted tsvector, the column that
    migration 0010 adds and its triggers keep current, on PostgreSQL only.

    Not a model field: other queries loading statements would carry it.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.search_document", []


def per_language(expression):
    """expression(config) in each statement's own text-search configuration.

    One branch per language with its configuration as a constant, rather than
    the configuration picked per row inside one expression: PostgreSQL can
    index that, and Django relabels its columns inside subqueries.
    """
    return Case(
        *(When(language=code, then=expression(config)) for code, config in SEARCH_CONFIGS.items()),
        default=expression("simple"),
    )


def statement_text_vector(config: str):
    return (
        SearchVector("title", config=config, weight="A")
        + SearchVector("standfirst", config=config, weight="B")
        + SearchVector("body", config=config, weight="C")
    )


def statement_search_document():
    """A statement's words as PostgreSQL searches them, as the search migration indexes them."""
    return per_language(statement_text_vector)


def demand_search_document():
    """A demand's words, as the search migration indexes them.

    An index cannot look up the statement's language, so demands are indexed
    word for word, without stemming.
    """
    return SearchVector("heading", "text", config="simple")


def statements_search(statements, query: str):
    """Statements matching a visitor's query, best first, each with a `headline`.

    On PostgreSQL, full-text search in each statement's own language: a
    statement matches when its text (headline, standfirst, body) holds every
    word of the query, or one of its demands does, and ranks by where the
    words are, the headline weighing most. SQLite (the embedded default)
    has no full-text search: there every word must appear in the headline,
    standfirst, body or demands, and headline hits come first.

    `headline` is an excerpt of the standfirst and body with the matched
    words between SEARCH_MARK_START and SEARCH_MARK_STOP; empty on SQLite.
    """
    if not query.split():
        return statements.none()
    if connections[statements.db].vendor == "postgresql":
        return _full_text_search(statements, query)
    return _words_search(statements, query.split())


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
    return statements.annotate(title_hits=title_hits, headline=Value("")).order_by(
        "-title_hits", "-release_date", "-published_at", "-id"
    )


def _full_text_search(statements, query: str):
    # The query is read in every language at once, each statement matching
    # it in its own: one query for every row, which the indexes can answer.
    search_query = reduce(
        or_,
        (
            SearchQuery(query, config=config, search_type="websearch")
            for config in (*SEARCH_CONFIGS.values(), "simple")
        ),
    )
    # Two lookups in the indexes rather than one OR over both, which would
    # make PostgreSQL read every statement's text.
    in_text = Statement.objects.alias(document=statement_search_document()).filter(
        document=search_query
    )
    in_demands = Demand.objects.alias(document=demand_search_document()).filter(
        document=search_query
    )
    return (
        statements.filter(Q(pk__in=in_text.values("pk")) | Q(pk__in=in_demands.values("statement")))
        .annotate(
            # The vector statements_search_document() would build, stored by
            # migration 0010: rebuilding it for every match took seconds.
            rank=SearchRank(StoredSearchDocument(), search_query),
            headline=per_language(
                lambda config: SearchHeadline(
                    Concat("standfirst", Value("\n\n"), "body", output_field=models.TextField()),
                    search_query,
                    config=config,
                    start_sel=SEARCH_MARK_START,
                    stop_sel=SEARCH_MARK_STOP,
                    max_words=40,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            ),
        )
        .order_by("-rank", "-release_date", "-published_at", "-id")
    )
