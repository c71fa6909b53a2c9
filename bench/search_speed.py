"""What a search results page costs the database at 5,000 statements, against the old query.

Migrates the database (DATABASE_URL if set, used as it is; otherwise
jointly_bench_search, dropped and created again with psql) and adds --statements
published statements (bulk) cut from the real statements in /work/shared/seeds/ (or
the bench's own copy of their words when that folder is missing): each a title,
standfirst, six paragraphs and three demands, so that "civilians" is in nearly every
one, and the rare word "zaytun" in one statement in 500. Then it vacuums and analyzes
the two tables, as autovacuum does shortly after a bulk load.

For a rare word, a common word and several words, page 1 and page 10 (when there is
one), it sums the database time (the queries' times as Django saw them) of the results
page through the test client, and of the old query, paginated the same way: matched on
the expressions migration 0002 indexed (the bench adds those indexes back), ranked on
every match's tsvector rebuilt, each statement with its excerpt (kept here only).
Median of --n runs (--old-n for the old one), the ratio of the two, and whether both
put the same statements on the page: "yes"; "capped" when more than SEARCH_RANKED
match and the page is the old ranking of the newest SEARCH_RANKED matches followed by
the others newest first, as statements.search now orders them; otherwise "NO".

    DATABASE_URL=postgres://… .venv/bin/python bench/search_speed.py [--statements 5000]
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path

from stack import fresh_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEEDS = Path("/work/shared/seeds")
FALLBACK = (
    "Airstrikes on the market killed civilians, including children, and injured many more. "
    "Hospitals ran out of fuel as the siege tightened around the city. "
    "Humanitarian access must be restored and aid convoys allowed through the crossings. "
    "We call on all parties to respect international humanitarian law and protect civilians. "
    "Journalists documenting the attacks were detained without charge."
)
QUERIES = [("rare word", "zaytun"), ("common word", "civilians"), ("several words", "")]


def setup_django() -> None:
    os.environ["DATABASE_URL"] = fresh_database("jointly_bench_search")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "SEARCH_RATE_PER_IP": "1000000/m",
    }
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def paragraphs() -> list[str]:
    texts = [p.read_text() for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    found = [" ".join(p.split()) for t in texts for p in t.split("\n") if len(p.split()) > 12]
    return found or [s + "." for s in FALLBACK.split(". ")]


def build(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from statements.models import Demand, Statement

    Statement.objects.all().delete()
    pool, rng, now = paragraphs(), random.Random(18), timezone.now()
    civilians = [p for p in pool if "civilians" in p.lower()] or pool
    statements = []
    for i in range(count):
        body = [rng.choice(civilians), *rng.sample(pool, min(5, len(pool)))]
        if i % 500 == 7:
            body.append("Olive groves, the zaytun of the villages, were burned.")
        rng.shuffle(body)
        statements.append(
            Statement(
                title=" ".join(rng.choice(pool).split()[:9]),
                slug=f"bench-search-{i}",
                standfirst=" ".join(rng.choice(pool).split()[:30]),
                body="\n\n".join(body),
                release_date=f"20{10 + i % 16}-{1 + i % 12:02}-{1 + i % 28:02}",
                status=Statement.Status.PUBLISHED,
                published_at=now,
            )
        )
    made = Statement.objects.bulk_create(statements, batch_size=500)
    Demand.objects.bulk_create(
        (
            Demand(statement=s, position=n, heading=f"Demand {n}", text=rng.choice(pool))
            for s in made
            for n in range(3)
        ),
        batch_size=2000,
    )
    # What autovacuum does shortly after a bulk load, on a site that has grown: statistics
    # (without them the planner takes the tables for empty and reads them whole), the old
    # row versions the demands' trigger left of every statement removed (they doubled the
    # table), and the pages marked all-visible, which lets a scan read an index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE statements_statement, statements_demand")


def add_old_indexes() -> None:
    """The expression indexes the old query matched with (migration 0002), which
    migration 0012 replaced by indexes on stored vectors, under other names."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    with connection.schema_editor() as editor:
        for model_name, index in import_module("statements.migrations.0002_search").indexes():
            index.name = f"old_{index.name}"
            editor.execute(f"DROP INDEX IF EXISTS {index.name}")  # a DATABASE_URL used before
            editor.add_index(apps.get_model("statements", model_name), index)


def old_search(statements, query: str):
    """statements.search._full_text_search before the stored vectors (migrations 0010
    and 0012)."""
    from functools import reduce
    from operator import or_

    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
    from django.db import models
    from django.db.models import OuterRef, Q, StringAgg, Subquery, Value
    from django.db.models.functions import Concat

    from statements.models import Demand, Statement
    from statements.search import SEARCH_CONFIGS, SEARCH_MARK_START, SEARCH_MARK_STOP, per_language

    def statement_text_vector(config: str):
        return (
            SearchVector("title", config=config, weight="A")
            + SearchVector("standfirst", config=config, weight="B")
            + SearchVector("body", config=config, weight="C")
        )

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
    search_query = reduce(
        or_,
        (
            SearchQuery(query, config=config, search_type="websearch")
            for config in (*SEARCH_CONFIGS.values(), "simple")
        ),
    )
    in_text = Statement.objects.alias(document=per_language(statement_text_vector)).filter(
        document=search_query
    )
    in_demands = Demand.objects.alias(
        document=SearchVector("heading", "text", config="simple")
    ).filter(document=search_query)
    return (
        statements.filter(Q(pk__in=in_text.values("pk")) | Q(pk__in=in_demands.values("statement")))
        .annotate(
            rank=SearchRank(
                per_language(
                    lambda config: (
                        statement_text_vector(config)
                        + SearchVector("demands_text", config="simple", weight="C")
                    )
                ),
                search_query,
            ),
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


def timed(run) -> tuple[float, list[int]]:
    """The database milliseconds of run() and what it returned."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run()
    return sum(float(q["time"]) for q in queries.captured_queries) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--old-n", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from front.views import SEARCH_PAGE_SIZE
    from statements.models import Statement
    from statements.search import SEARCH_RANKED

    call_command("migrate", verbosity=0)
    add_old_indexes()
    started = time.perf_counter()
    build(args.statements)
    print(
        f"{args.statements} statements built in {time.perf_counter() - started:.1f} s; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    # Static files from their folders, not collectstatic's manifest: nothing to collect.
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    override_settings(STORAGES=storages).enable()
    setup_test_environment()  # for the page's context: the statements on it

    def new_page(query, number):
        response = client.get(reverse("search"), {"q": query, "page": number})
        assert response.status_code == 200, response.status_code
        return [s.pk for s in response.context["page"]]

    def old_page(query, number):
        results = old_search(Statement.objects.public().select_related("campaign"), query)
        return [s.pk for s in Paginator(results, SEARCH_PAGE_SIZE).page(number)]

    def capped_order(query):
        """The old order with statements.search's cap: the newest SEARCH_RANKED matches
        best first, then the others newest first."""
        rows = old_search(Statement.objects.public(), query).values_list(
            "pk", "rank", "release_date", "published_at"
        )
        newest = sorted(rows, key=lambda row: (row[2], row[3], row[0]), reverse=True)
        ranked = sorted(newest[:SEARCH_RANKED], key=lambda row: row[1:] + row[:1], reverse=True)
        return [row[0] for row in ranked + newest[SEARCH_RANKED:]]

    queries = [(label, q or "airstrikes hospitals children") for label, q in QUERIES]
    print(
        f"{'search':<40} {'page':>4} {'matches':>7} {'new ms':>8} {'old ms':>9} {'ratio':>7} same"
    )
    for label, query in queries:
        matches = old_search(Statement.objects.public(), query).count()
        capped = capped_order(query) if matches > SEARCH_RANKED else []
        for number in (1, 10):
            if (number - 1) * SEARCH_PAGE_SIZE >= max(matches, 1):
                continue
            new_page(query, number)  # warm-up
            new = [timed(partial(new_page, query, number)) for _ in range(args.n)]
            old = [timed(partial(old_page, query, number)) for _ in range(args.old_n)]
            new_ms = statistics.median(ms for ms, _ in new)
            old_ms = statistics.median(ms for ms, _ in old)
            shown = slice((number - 1) * SEARCH_PAGE_SIZE, number * SEARCH_PAGE_SIZE)
            if new[0][1] == old[0][1]:
                same = "yes"
            else:
                same = "capped" if capped and new[0][1] == capped[shown] else "NO"
            print(
                f"{label + ' “' + query + '”':<40} {number:>4} {matches:>7} {new_ms:>8.1f} "
                f"{old_ms:>9.1f} {new_ms / old_ms:>7.4f} {same}"
            )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
