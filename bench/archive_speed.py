"""What the archive (/statements/) costs as the site grows: page 1 and page 400.

Migrates the database (DATABASE_URL if set, used as it is: best one of its own, whose
only public statements are the bench's; otherwise jointly_bench_archive, dropped and
created again with psql), removes what an earlier run added (its rows' slugs start
with bench-archive-) and grows it to each size in turn (10, 1,000 and 10,000 public
statements by default), bulk-created and vacuumed: about 0.75 organizations per
statement (7,500 at 10,000, like the site that filed issue 18), each statement issued
by two of them and signed by three more, in five campaigns over ten years. At each size
it renders, through Django's test client and the site's middleware (DEBUG off, the page
cache off), after a warm-up, --n times each:

- page 1 of the archive,
- page 400 (statements 7,981 to 8,000), or the last page where there are fewer (page
  50 at 1,000 statements, page 1 at 10), labelled with its number,
- page 1 filtered by one organization,

and prints the median milliseconds of CPU per render (time.process_time, this process
only: what the render costs, whatever else runs on the machine), of wall-clock time and
of waiting for the database (SQL), and the bytes and queries of one render, each as a
ratio of the same page at the smallest size (the deep page: of the smallest archive's
last page), with the machine and its load average before and after. CPU and SQL time
are what a loaded machine shakes least. Below 20 statements page 1 is not full: 10
statements show 10 cards where larger archives show 20, so their ratios to 10 carry
the 10 cards more.

    DATABASE_URL=postgres://… .venv/bin/python bench/archive_speed.py [--n 10]
        [--sizes 10 1000 10000]
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from stack import fresh_database

# The site's packages, for Django in this process.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ORGANIZATIONS_PER_STATEMENT = 0.75
DEEP_PAGE = 400
PAGE_SIZE = 20  # the archive's (front.views.ARCHIVE_PAGE_SIZE)
# What the bench adds starts with this: a run removes it first, and nothing else.
PREFIX = "bench-archive-"


def remove() -> None:
    """Delete what an earlier run added, by its slugs: its signatures, statements,
    organizations and campaigns, one DELETE a table. The ORM's cascade took 15 minutes
    for 10,000 statements, visiting every table that refers to a statement, a batch at a
    time. Only these four tables are touched: if a row of any other table (a version, an
    email owed, a translation) refers to a bench row, the database's foreign keys refuse
    the whole removal (IntegrityError) rather than delete what is not the bench's."""
    from django.db import connection, transaction

    from campaigns.models import Campaign
    from organizations.models import Organization
    from statements.models import Signature, Statement

    statements = Statement._meta.db_table
    organizations = Organization._meta.db_table
    ours = {"ours": f"{PREFIX}%"}  # the prefix holds no LIKE wildcard
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {Signature._meta.db_table}
            WHERE statement_id IN (SELECT id FROM {statements} WHERE slug LIKE %(ours)s)
            OR organization_id IN (SELECT id FROM {organizations} WHERE slug LIKE %(ours)s)""",
            ours,
        )
        for table in (statements, organizations, Campaign._meta.db_table):
            cursor.execute(f"DELETE FROM {table} WHERE slug LIKE %(ours)s", ours)
        # The keys are checked at the commit; checked here, a refusal also undoes the
        # removal inside a transaction that does not end here (a test's).
        connection.check_constraints()


def setup_django() -> None:
    os.environ["DATABASE_URL"] = fresh_database("jointly_bench_archive")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.pop("REDIS_URL", None)  # the cache in this process: nothing to share
    import django

    django.setup()


def grow(size: int) -> None:
    """Add statements and organizations until there are `size` and 0.75 times `size`."""
    from django.db import connection
    from django.utils import timezone

    from campaigns.models import Campaign
    from organizations.models import Organization
    from statements.models import Signature, Statement

    campaigns = list(Campaign.objects.filter(slug__startswith=PREFIX).order_by("pk"))
    if not campaigns:
        campaigns = Campaign.objects.bulk_create(
            Campaign(title=f"Campaign {i}", slug=f"{PREFIX}campaign-{i}") for i in range(5)
        )
    have = Organization.objects.filter(slug__startswith=PREFIX).count()
    wanted = max(5, round(size * ORGANIZATIONS_PER_STATEMENT))
    Organization.objects.bulk_create(
        (
            Organization(
                name=f"Organization number {i}",
                sort_name=f"Organization number {i}",
                short_name=f"ON{i}",
                slug=f"{PREFIX}organization-{i}",
                country="FR",
            )
            for i in range(have, wanted)
        ),
        batch_size=2000,
    )
    organizations = Organization.objects.filter(slug__startswith=PREFIX).order_by("pk")
    organizations = list(organizations.values_list("pk", flat=True))
    start = Statement.objects.filter(slug__startswith=PREFIX).count()
    now = timezone.now()
    made = Statement.objects.bulk_create(
        (
            Statement(
                title=f"Joint statement number {i}: open the crossings",
                slug=f"{PREFIX}statement-{i}",
                release_date=datetime.date(2016, 1, 1)
                + datetime.timedelta(days=i * 3650 // 10_000),
                status=Statement.Status.PUBLISHED,
                published_at=now,
                campaign=campaigns[i % len(campaigns)],
                body="Aid is waiting at the border while families go without. " * 20,
            )
            for i in range(start, size)
        ),
        batch_size=2000,
    )
    signatures = []
    for statement in made:
        i = int(statement.slug.rsplit("-", 1)[1])
        for k in range(5):
            signatures.append(
                Signature(
                    statement=statement,
                    organization_id=organizations[(i * 5 + k) % len(organizations)],
                    role=Signature.Role.ISSUER if k < 2 else Signature.Role.SIGNATORY,
                    position=k,
                )
            )
    Signature.objects.bulk_create(signatures, batch_size=5000)
    with connection.cursor() as cursor:
        # Vacuumed too, as autovacuum leaves a live site's tables: analyzed alone, freshly
        # written rows are not yet marked visible to all, and the archive's index-only
        # scans become reads of the whole table (the deep page at 10,000: 38 ms, 2 once
        # vacuumed), or not, as autovacuum happens to pass during the run. VACUUM cannot
        # run inside a transaction (a test's): there, analyzed only.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def measure(client, url: str, n: int) -> tuple[float, float, float, int, int]:
    """Median milliseconds of rendering url (CPU of this process, and wall) and of its
    SQL, its bytes and queries."""
    from django.db import connection

    for _ in range(2):  # warm-up: templates, translations, the connection
        assert client.get(url).status_code == 200, url
    # Counted as they run: each request empties the connection's own log.
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        size = len(client.get(url).content)
    sql = [0.0]

    def timed(execute, *args):
        start = time.perf_counter()
        try:
            return execute(*args)
        finally:
            sql[-1] += (time.perf_counter() - start) * 1000

    cpu_times, times, sql_times = [], [], []
    with connection.execute_wrapper(timed):
        for _ in range(n):
            sql[-1] = 0.0
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu_times.append((time.process_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
            sql_times.append(sql[-1])
            assert response.status_code == 200, url
    medians = (statistics.median(t) for t in (cpu_times, times, sql_times))
    return *medians, size, len(queries)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(*, sizes: list[int], n: int, deep_page: int = DEEP_PAGE) -> list[tuple]:
    """Grow the archive to each size and print what its pages cost: the bench without its
    database set-up, which a test runs on its own database."""
    from django.conf import settings
    from django.test import Client, override_settings

    from organizations.models import Organization

    remove()
    client = Client(HTTP_HOST="127.0.0.1")
    # Static files from their folders, not collectstatic's manifest: nothing to collect.
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; load {load()}")
    print(f"Median of {n} renders, uncached, in this process:")
    rows, first = [], {}
    for size in sorted(sizes):
        grow(size)
        ours = Organization.objects.filter(slug__startswith=PREFIX)
        # Page 400 exists only in a large archive: a smaller one shows its last page.
        deep = min(deep_page, max(1, -(-size // PAGE_SIZE)))
        last = " (last)" if deep < deep_page else ""
        organization = ours.earliest("pk").slug
        pages = [
            ("page 1", "page 1", "/statements/"),
            ("deep", f"page {deep}{last}", f"/statements/?page={deep}"),
            ("organization", "one organization", f"/statements/?organization={organization}"),
        ]
        organizations = ours.count()
        for kind, label, url in pages:
            with override_settings(STORAGES=storages):
                cpu_ms, ms, sql_ms, size_bytes, queries = measure(client, url, n)
            base = first.setdefault(kind, (cpu_ms, ms, sql_ms, size_bytes))
            rows.append((size, label, cpu_ms, ms, sql_ms, size_bytes, queries))
            print(
                f"  {size:6,} statements, {organizations:5,} organizations, {label:16}"
                f" CPU {cpu_ms:6.1f} ms {cpu_ms / base[0]:5.2f}×"
                f"  wall {ms:6.1f} ms {ms / base[1]:5.2f}×"
                f"  SQL {sql_ms:5.1f} ms {sql_ms / base[2]:5.2f}×"
                f"  {size_bytes / 1024:5.1f} KB {size_bytes / base[3]:5.2f}×  {queries:2} queries"
            )
    print(f"Load after: {load()}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="renders of each page")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10_000])
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    run(sizes=args.sizes, n=args.n)


if __name__ == "__main__":
    main()
