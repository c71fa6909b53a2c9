"""What a long list of signatories costs a statement page rendered on every visit.

Migrates the database (DATABASE_URL if set, used as it is; otherwise
jointly_bench_signatories, dropped and created again with psql) and adds three
published statements: one signed by 1 organization and 1 individual, one by 500
organizations, one by 500 organizations and 5,000 individuals (numbered, with
acronym and country, the logo wall on). Then, in this process, through Django's
test client and the site's middleware (DEBUG off), it renders --n times each,
after a warm-up:

1. hello world: /bench/hello/
2. the small statement's page, the page cache off (PAGE_CACHE_SECONDS=0)
3. the 500 organizations' page, the same way
4. the 500 organizations' and 5,000 individuals' page, the same way
5. page 20 of its individuals, the same way

then with the page cache on, in a Redis database of its own (--redis-db, flushed):

6. the 500 organizations' page after a change: the statement gets a new generation
   before each visit (public_pages_changed, outside the timing), so the page is
   rendered in full, kept around its sign button and calls to action, compressed and
   kept whole: what the first visitor after a change gets
7. the same page rendered by the view without its page cache (bench/urls.py), once it
   is kept around its sign button and calls to action: the steady cost of a render the
   page cache cannot spare without a change (a page past its fresh_until, or dropped
   from the cache). The statement and its calls to action are read, and the sign
   button and the calls rendered, on every visit; the rest comes from the cache
8. the 500 organizations' and 5,000 individuals' page, the same way
9. the small statement's page, the same way

and prints, with the machine and its load, the median CPU milliseconds per render
(time.process_time, this process only: what the render costs, whatever else runs on
the machine), the median wall-clock milliseconds, the queries of one render, and each
page's CPU time as a multiple of hello world's and of the 500 organizations' page.

    DATABASE_URL=postgres://… .venv/bin/python bench/signatory_page.py [--n 30]
                                                [--individuals 5000] [--redis-db 10]
"""

import argparse
import os
import platform
import statistics
import sys
import time
import types
from pathlib import Path

from stack import fresh_database, fresh_redis

# The site's packages, for Django in this process.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SMALL, ORGANIZATIONS, LARGE = (
    "bench-signatories-small",
    "bench-signatories-organizations",
    "bench-signatories-large",
)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = fresh_database("jointly_bench_signatories")
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


def build(slug: str, organizations: int, individuals: int) -> None:
    from django.utils import timezone

    from core.names import family_name_first
    from organizations.models import Organization
    from statements.models import Signature, Statement

    Signature.objects.filter(statement__slug=slug).delete()
    Statement.objects.filter(slug=slug).delete()
    Organization.objects.filter(slug__startswith=f"{slug}-").delete()
    statement = Statement.objects.create(
        title="Open the crossings before the winter",
        slug=slug,
        release_date="2026-11-01",
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now(),
        body="\n\n".join(["Aid is waiting at the border while families go without. " * 8] * 6),
        signers=Statement.Signers.EVERYONE,
        signatory_numbering=True,
        signatory_details=True,
        logo_wall=True,
    )
    made = Organization.objects.bulk_create(
        Organization(
            name=f"Partner organization number {i} ({slug})",
            sort_name=f"Partner organization number {i} ({slug})",
            short_name=f"PON{i}",
            slug=f"{slug}-{i}",
            country="FR",
        )
        for i in range(organizations + 1)
    )
    Signature.objects.create(statement=statement, organization=made[0], role="issuer")
    Signature.objects.bulk_create(
        Signature(statement=statement, organization=o, position=i) for i, o in enumerate(made[1:])
    )
    people = []
    for i in range(individuals):
        name = f"Person{i} Family{i:05d}"
        email = f"person{i}@{slug}.example.org"
        people.append(
            Signature(
                statement=statement,
                kind=Signature.Kind.INDIVIDUAL,
                signer_name=name,
                signer_title="Researcher",
                affiliation=f"University {i}",
                signer_email=email,
                person_key=email,
                sort_key=family_name_first(name),
                consent_publish=True,
                position=i,
            )
        )
    Signature.objects.bulk_create(people, batch_size=1000)


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Hello, world")


def hello_urls() -> str:
    """A URLconf of the hello-world view alone: the site's own holds language prefixes,
    which Django does not let another URLconf include."""
    from django.contrib import admin
    from django.urls import path

    module = types.ModuleType("bench_hello_urls")
    # The admin's address: the middleware reads it on every request.
    module.urlpatterns = [path("bench/hello/", hello), path("admin/", admin.site.urls)]
    sys.modules[module.__name__] = module
    return module.__name__


def timed(client, url: str, n: int, before=lambda: None) -> tuple[float, float, int]:
    """Median CPU and wall-clock milliseconds of a request, and its queries; before()
    runs ahead of each, untimed."""
    from django.db import connection

    for _ in range(3):  # warm-up: templates, translations, the connection
        before()
        assert client.get(url).status_code == 200, url
    # Counted as they run: each request empties the connection's own log.
    queries = []
    before()
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(url)
    cpu, wall = [], []
    for _ in range(n):
        before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(cpu), statistics.median(wall), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="renders of each page")
    parser.add_argument(
        "--individuals", type=int, default=5000, help="individuals on the largest statement"
    )
    parser.add_argument("--redis-db", type=int, default=10, help="Redis database to use and flush")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    from core.pagecache import public_pages_changed

    call_command("migrate", verbosity=0)
    build(SMALL, 1, 1)
    build(ORGANIZATIONS, 500, 0)
    build(LARGE, 500, args.individuals)
    client = Client(HTTP_HOST="127.0.0.1")
    pages = [
        ("hello world", "/bench/hello/"),
        # PAGE_CACHE_SECONDS=0: every visit renders the page.
        ("1 organization, 1 individual", f"/statements/{SMALL}/"),
        ("500 organizations", f"/statements/{ORGANIZATIONS}/"),
        (f"500 organizations, {args.individuals:,} individuals", f"/statements/{LARGE}/"),
        ("its individuals, page 20", f"/statements/{LARGE}/individuals/?page=20"),
    ]
    # Static files from their folders, not collectstatic's manifest: nothing to collect.
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    # The page cache on, in Redis: bench/urls.py serves the view without it too.
    redis = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": fresh_redis(args.redis_db),
        }
    }
    page_cache = {"CACHES": redis, "PAGE_CACHE_SECONDS": 600, "ROOT_URLCONF": "bench.urls"}
    changed = [
        (
            "500 organizations, after a change",
            f"/statements/{ORGANIZATIONS}/",
            lambda: public_pages_changed(f"statement:{ORGANIZATIONS}"),
        ),
        ("500 organizations, page kept", f"/bench/uncached/{ORGANIZATIONS}/", lambda: None),
        (f"500 + {args.individuals:,}, page kept", f"/bench/uncached/{LARGE}/", lambda: None),
        ("1 + 1, page kept", f"/bench/uncached/{SMALL}/", lambda: None),
    ]
    load_before = os.getloadavg()
    results = []
    for label, url in pages:
        urlconf = hello_urls() if url == "/bench/hello/" else settings.ROOT_URLCONF
        with override_settings(ROOT_URLCONF=urlconf, STORAGES=storages):
            results.append((label, *timed(client, url, args.n)))
    with override_settings(STORAGES=storages, **page_cache):
        for label, url, before in changed:
            results.append((label, *timed(client, url, args.n, before)))
    load_after = os.getloadavg()
    hello, organizations = results[0][1], results[2][1]
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print(
        f"Median of {args.n} renders in this process: 2-5 the page cache off, 6 after a"
        " change, 7-9 the view without its page cache, the page kept around its actions:"
    )
    for label, cpu, wall, queries in results:
        print(
            f"  {label:38} {cpu:7.2f} ms CPU {wall:7.2f} ms wall {queries:3} queries"
            f"  {cpu / hello:6.1f}× hello world  {cpu / organizations:5.2f}× 500 organizations"
        )


if __name__ == "__main__":
    main()
