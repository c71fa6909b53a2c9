"""How a statement page holds up under a crowd, next to the fastest page Django can serve.

Migrates a fresh PostgreSQL database (jointly_bench_pages, dropped and created
again with psql; or DATABASE_URL if set, used as it is), flushes a Redis database
of its own (--redis-db), and adds a published statement with 500 signatories,
demands, a quote and press contacts. It starts gunicorn (sync workers, one per
CPU unless --workers) with bench/settings.py, which serves the site plus two pages
through the same middleware: a hello-world view and the statement view without
its page cache. Then wrk loads, one after the other with the same connections and
duration:

1. hello world: /bench/hello/
2. the statement page from the page cache: /statements/<slug>/
3. the same page rendered on every visit: /bench/uncached/<slug>/ (kept rendered
   around its sign button and calls to action, as when the page cache dropped it
   without a change)

each --rounds times in turn. It prints for each page its median round's requests
per second and latency percentiles, and its share of hello world's requests per
second, with the machine's load average before and after. wrk waits --timeout seconds
for an answer (60 by default), so slow requests count rather than drop. wrk says it
takes gzip, as browsers do, unless --no-gzip: the page cache
keeps each page compressed. Needs wrk (Debian's package; `make bench` installs it).

    .venv/bin/python bench/page_speed.py [--duration 10] [--rounds 3] [--connections 16]
                                         [--redis-db 8] [--no-gzip] [--timeout 60]
"""

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from stack import fresh_database, fresh_redis

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "jointly_bench_pages"
SLUG = "open-the-crossings"
SETUP = f"""
from organizations.models import Contact, Organization
from statements.models import Demand, PressContact, Quote, Signature, Statement
from statements.services.lifecycle import statement_publish
from django.contrib.auth.models import User
# The services act for staff: the benchmark acts as a superuser of its own.
by = User.objects.get_or_create(
    username="bench", defaults={{"is_staff": True, "is_superuser": True}}
)[0]

statement = Statement.objects.create(
    title="Open the crossings before the winter", slug="{SLUG}", release_date="2026-11-01",
    kind="joint_statement", dateline="GENEVA",
    standfirst="Five hundred groups ask for access.",
    body="\\n\\n".join(["Aid is waiting at the border while families go without. " * 8] * 6),
)
for position, heading in enumerate(["Access", "Ceasefire", "Accountability"]):
    Demand.objects.create(statement=statement, position=position, heading=heading,
                          text="Let aid through, at every crossing, every day. " * 3)
organizations = Organization.objects.bulk_create(
    Organization(name=f"Partner organization number {{i}}", slug=f"partner-{{i}}", country="FR")
    for i in range(501)
)
Signature.objects.create(statement=statement, organization=organizations[0], role="issuer")
Signature.objects.bulk_create(
    Signature(statement=statement, organization=o, role="signatory", position=i)
    for i, o in enumerate(organizations[1:])
)
Quote.objects.create(statement=statement, organization=organizations[0], person_name="Amal Nasser",
                     person_title="Director", text="Every day of waiting costs lives.")
contact = Contact.objects.create(organization=organizations[0], name="Lea Martin",
                                 email="press@partner-0.example.org", phone="+41 22 555 0100")
PressContact.objects.create(statement=statement, contact=contact)
statement_publish(statement=statement, by=by, override_reason="Benchmark data, no sign-off")
"""
WRK_REPORT = Path(__file__).with_name("wrk_json.lua")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def prepare(args, var: str) -> dict:
    database_url = fresh_database(BENCH_DB)
    redis_url = fresh_redis(args.redis_db)
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "JOINTLY_VAR_DIR": var,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }


def wrk(url: str, args) -> tuple[float, dict[str, float]]:
    """Requests per second and latency percentiles in milliseconds, from wrk's Lua report."""
    gzip = ["-H", "Accept-Encoding: gzip, deflate, br"] if args.gzip else []
    output = subprocess.run(
        # wrk drops a request slower than its timeout (2 s by default) from the latencies,
        # which flattered the slow uncached page: the timeout outlasts the whole run.
        ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s",
         "--timeout", f"{getattr(args, 'timeout', args.duration + 30)}s",
         "-s", str(WRK_REPORT), *gzip, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    report = json.loads(output.strip().splitlines()[-1])
    if report["non_2xx_3xx"]:
        sys.exit(f"{url} answered errors under load:\n{output}")
    rate = report["requests"] / (report["duration_us"] / 1_000_000)
    latency = {share: us / 1000 for share, us in report["latency_us"].items()}
    return rate, latency


def median_run(runs: list[tuple[float, dict[str, float]]]) -> tuple[float, dict[str, float]]:
    """The run with the median rate (the higher of the two middle ones for an even number),
    with its own latencies. Chosen by rate alone: two runs with the same rate are equal
    here, whatever their latencies."""
    return sorted(runs, key=lambda run: run[0])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page; the median counts")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="gunicorn workers")
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds before wrk gives up on a request"
    )
    parser.add_argument("--redis-db", type=int, default=8, help="Redis database to use and flush")
    parser.add_argument(
        "--no-gzip",
        dest="gzip",
        action="store_false",
        help="ask for pages uncompressed (by default wrk says it takes gzip, as browsers do)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    with tempfile.TemporaryDirectory() as var:
        env = prepare(args, var)
        port = free_port()
        env["SITE_URL"] = f"http://127.0.0.1:{port}"
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "--no-imports", "-c", SETUP)
        manage(env, "collectstatic", "--noinput")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        pages = [
            ("hello world", f"{base}/bench/hello/"),
            ("statement, cached", f"{base}/statements/{SLUG}/"),
            ("statement, uncached", f"{base}/bench/uncached/{SLUG}/"),
        ]
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(pages[0][1], timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            for _, url in pages:
                with urllib.request.urlopen(url) as response:
                    assert response.status == 200, url
                    body = response.read().decode()
                    assert url.endswith("/hello/") or "Partner organization number 500" in body
            print(
                f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
                f"{platform.platform()}; gunicorn {args.workers} sync workers, PostgreSQL, "
                f"Redis; wrk 2 threads, {args.connections} connections, {args.rounds} rounds of "
                f"{args.duration} s, "
                f"{'taking gzip' if args.gzip else 'no compression'}, "
                f"wrk timeout {args.timeout} s; "
                f"load average {os.getloadavg()[0]:.2f}"
            )
            # Rounds take turns, so a load elsewhere on the machine weighs on every page.
            runs = {label: [] for label, _ in pages}
            for _ in range(args.rounds):
                for label, url in pages:
                    runs[label].append(wrk(url, args))
            results = [(label, *median_run(runs[label])) for label, _ in pages]
        finally:
            server.terminate()
            server.wait()
    hello = results[0][1]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for label, rate, latency in results:
        print(
            f"{label:<20} {rate:8.0f} req/s  p50 {latency['50']:6.2f} ms  "
            f"p90 {latency['90']:6.2f} ms  p99 {latency['99']:6.2f} ms  "
            f"{rate / hello:6.1%} of hello world"
        )


if __name__ == "__main__":
    main()
