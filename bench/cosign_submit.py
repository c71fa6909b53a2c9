"""How long a partner waits after pressing Sign, with Redis up and with Redis down.

Starts gunicorn (2 workers, bench/settings.py) on a fresh database, opens a statement
for co-signing, and submits the co-sign form N times in each condition: with REDIS_URL
pointing at the running Redis, then at a port where nothing listens, then at a server
that accepts connections and never answers (a hung Redis). Before measuring, it submits
until every worker has answered one (each response names its worker's pid), so no
worker's first request is timed. Prints latency percentiles of the POST (form in,
redirect out) with the load average, and checks that every submission, warm-ups
included, was stored with its confirmation email owed.

    .venv/bin/python bench/cosign_submit.py [--n 100] [--redis redis://127.0.0.1:6379/0]

DATABASE_URL is used if set (PostgreSQL); otherwise a SQLite file in a temporary folder.
"""

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
SETUP = """
from statements.models import Statement
from statements.services.lifecycle import statement_publish
from django.contrib.auth.models import User
# The services act for staff: the benchmark acts as a superuser of its own.
by = User.objects.get_or_create(
    username="bench", defaults={"is_staff": True, "is_superuser": True}
)[0]
s = Statement.objects.create(title="Bench statement", slug="bench", body="Text", cosign_open=True,
                             release_date="2026-01-01")
statement_publish(statement=s, by=by)
"""
REPORT = """
from statements.models import OutgoingEmail, Signature
print(Signature.objects.filter(state="submitted").count(), OutgoingEmail.objects.count())
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hung_server() -> int:
    """A port that accepts connections and never answers, like a Redis that hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept() -> None:
        while True:
            held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def submit(base: str, n: int, pids: set | None = None) -> float:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form = opener.open(f"{base}/statements/bench/sign/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "organization_name": f"Bench group {n} {time.time_ns()}",
            "kind": "ngo",
            "signer_name": "Bench Signer",
            "signer_title": "Director",
            "signer_email": f"signer{n}.{time.time_ns()}@bench.example.org",
            "authorized": "on",
        }
    ).encode()
    request = urllib.request.Request(f"{base}/statements/bench/sign/", data=data)
    request.add_header("Referer", f"{base}/statements/bench/sign/")
    started = time.perf_counter()
    try:
        opener.open(request)
        raise RuntimeError("expected a redirect after a good submission")
    except urllib.error.HTTPError as response:
        if response.code != 302:
            raise RuntimeError(f"submission answered {response.code}") from None
        if pids is not None:
            pids.add(response.headers["X-Worker-Pid"])
    return time.perf_counter() - started


def warm(base: str, workers: int) -> int:
    """Submit until every worker has answered a submission: the first costs a worker its
    imports, templates and database connection, which one warm-up submission paid for
    one worker only. Submitted `workers` at a time, or the worker that answered first
    could take every one. Returns the submissions made."""
    pids, made = set(), 0
    while len(pids) < workers:
        if made >= 20 * workers:
            raise RuntimeError(f"only {len(pids)} of {workers} workers answered")
        threads = [
            threading.Thread(target=submit, args=(base, -1 - made - k, pids))
            for k in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        made += workers
    return made


def percentiles(ms: list[float]) -> dict[int, float]:
    """The 50th, 95th and 99th percentiles of ms. Inclusive: between measured values,
    never past the largest, where the default (exclusive) method extrapolates and gave a
    p99 above the maximum for 50 submissions."""
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {share: cuts[share - 1] for share in (50, 95, 99)}


def run(label: str, env: dict, n: int) -> int:
    """Measure n submissions in one condition; returns the submissions made, warm-up too."""
    port = free_port()
    # bench/settings.py: the site, each response naming the worker that answered.
    env = env | {"SITE_URL": f"http://127.0.0.1:{port}", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        warmed = warm(base, WORKERS)
        times = sorted(submit(base, i) for i in range(n))
    finally:
        server.terminate()
        server.wait()
    ms = [t * 1000 for t in times]
    p = percentiles(ms)
    print(
        f"{label:<12} n={n}  p50={p[50]:.1f} ms  p95={p[95]:.1f} ms  p99={p[99]:.1f} ms  "
        f"max={ms[-1]:.1f} ms  (after {warmed} warm-up submissions)"
    )
    return warmed + n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="submissions per condition")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="the running Redis")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var:
        env = {
            "PATH": os.environ["PATH"],
            "SECRET_KEY": "bench-only",
            "DEBUG": "0",
            "JOINTLY_VAR_DIR": var,
            "COSIGN_RATE_PER_IP": "100000/h",
        }
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "--no-imports", "-c", SETUP)
        manage(env, "collectstatic", "--noinput")
        print(
            f"co-sign POST latency, {os.cpu_count()} CPUs, gunicorn {WORKERS} workers, "
            f"each warmed first; load {load()}"
        )
        expected = run("redis up", env | {"REDIS_URL": args.redis}, args.n)
        down = f"redis://127.0.0.1:{free_port()}/0"
        expected += run("redis down", env | {"REDIS_URL": down}, args.n)
        hung = f"redis://127.0.0.1:{hung_server()}/0"
        expected += run("redis hangs", env | {"REDIS_URL": hung}, args.n)
        print(f"load after: {load()}")
        stored, owed = manage(env, "shell", "--no-imports", "-c", REPORT).split()
        print(f"stored {stored} of {expected} signatures, {owed} confirmation emails owed")
        if int(stored) != expected or int(owed) != expected:
            sys.exit("some submissions were lost")


if __name__ == "__main__":
    main()
