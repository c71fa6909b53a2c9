"""How fast a press send goes, and whether it reaches each journalist once when workers die.

Migrates a fresh PostgreSQL database (jointly_bench, dropped and created again with
psql; or DATABASE_URL if set, used as it is) and uses a Redis database of its own
(REDIS_URL, default redis://127.0.0.1:6379/0, with its database number replaced by
--redis-db, flushed first). It adds a published statement of a realistic size (about
2,000 words of body, eight demands, 500 organizations listed as signatories: a message
of about 50 KB) and N journalists on one press list. An SMTP sink in this process
(aiosmtpd, in a thread) counts the connections opened to it and records the Message-ID
and size of every message it accepts, and keeps the first 200 as they came.

Each run confirms a new distribution of the statement to the list with
`manage.py shell` (press.distribution_confirm, which queues the send tasks) and a
real Celery worker (prefork, 2 processes) sends it until every Delivery is sent:

1. as the app is: a task per press.TASK_RANGE rows, which claims them
   press.CLAIM_BATCH at a time and sends them over as few connections as it opens;
   then the limit it is measured against: a plain smtplib client sending N of the
   messages the sink kept in run 1, over as many connections as run 1 opened, with as
   many clients at once as the worker has processes (each a process of its own);
2. one message per connection, on the first --n2 journalists (1000 by default: it
   is the slow run): the distribution is confirmed with press.TASK_RANGE = 1, a task
   per row, and the worker is started with press.CLAIM_BATCH = 1, so that each task
   and each batch is one message over a connection of its own;
3. the worker's process group killed with SIGKILL at about 30% and 60% sent and
   started again each time; whenever nothing moves and nothing is queued, the sweep
   runs as beat would run it, with the dead workers' claims made old enough for
   press.deliveries_sweep, and what it returns is queued again, until no row is
   pending or sending.

It prints the size of the messages, messages per second (from the confirmation, rows
written and tasks queued, to the last message accepted; for smtplib, from its first
connection) and SMTP connections for run 1, smtplib and run 2, run 1's share of the
smtplib rate, and for run 3 the duplicates (Message-IDs the sink accepted more than
once) and the missing recipients (rows marked sent whose Message-ID never reached the
sink, and rows not sent). It exits non-zero if a run does not finish, or if run 3 has
a duplicate or a missing recipient. Every process it started is stopped on the way
out; the database is left for a look at what happened.

    .venv/bin/python bench/press_send.py [--n 10000] [--n2 1000] [--redis-db 5]
"""

import argparse
import contextlib
import multiprocessing
import os
import pickle
import platform
import re
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from stack import fresh_database, fresh_redis

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "jointly_bench"
# Shares of N accepted at which run 3 kills the worker: not 0.3 and 0.6, which with
# tasks of 500 rows sent two at a time land where tasks end and hold nothing.
KILLS = (0.31, 0.62)
WORKER_PROCESSES = 2
MESSAGE_ID = re.compile(rb"^Message-ID:\s*<delivery-(\d+)@", re.IGNORECASE | re.MULTILINE)
# A statement of the size coalitions send: about 2,000 words of body, demands, and 500
# organizations listed as signatories, for a message of about 50 KB.
SIGNATORIES = 500
SETUP = """
import random
from organizations.models import Contact, Organization, PressList
from statements.models import Demand, Signature, Statement
from statements.services.lifecycle import statement_publish
from django.contrib.auth.models import User
# The services act for staff: the benchmark acts as a superuser of its own.
by = User.objects.get_or_create(
    username="bench", defaults={{"is_staff": True, "is_superuser": True}}
)[0]
tag = "{tag}"
words = (
    "the of to and in we our all for now must call act aid law war end who are not be on "
    "civilians coalition humanitarian access ceasefire workers displaced families justice "
    "shelling hospitals schools water winter shelter food safe protect people "
    "government’s delegation — without delay or conditions"
).split()
rng = random.Random(7)
def paragraph(sentences):
    return " ".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(12, 26))).capitalize() + "."
        for _ in range(sentences)
    )
body = "\\n\\n".join(
    (f"## {{paragraph(1)[:60]}}\\n\\n" if i % 6 == 5 else "") + paragraph(6) for i in range(18)
)
statement = Statement.objects.create(
    title="Bench statement: an urgent call to protect civilians", slug=f"bench-{{tag}}",
    standfirst=paragraph(1), dateline="GENEVA", body=body, closing=paragraph(3),
    release_date="2026-01-01",
)
Demand.objects.bulk_create(
    Demand(statement=statement, position=i, heading=paragraph(1)[:40], text=paragraph(1))
    for i in range(8)
)
signers = Organization.objects.bulk_create(
    (Organization(name=f"Group {{i}} {{tag[-4:]}}", slug=f"signer-{{tag}}-{{i}}",
                  sort_name=f"Group {{i}} {{tag[-4:]}}")
     for i in range({signatories} + 2)),
)
Signature.objects.bulk_create(
    Signature(statement=statement, organization=organization, position=i,
              role=Signature.Role.ISSUER if i < 2 else Signature.Role.SIGNATORY)
    for i, organization in enumerate(signers)
)
# Signed by bulk, with no sign-off round: published on the benchmark's word.
statement_publish(statement=statement, by=by, override_reason="Benchmark")
outlet = Organization.objects.create(name=f"Bench outlet {{tag}}", slug=f"bench-{{tag}}",
                                     kind=Organization.Kind.MEDIA)
desk = PressList.objects.create(name=f"Bench desk {{tag}}")
contacts = Contact.objects.bulk_create(
    (Contact(organization=outlet, name=f"Journalist {{i}}", email=f"j{{i}}-{{tag}}@example.org")
     for i in range({n})),
    batch_size=2000,
)
desk.contacts.add(*contacts)
sample = PressList.objects.create(name=f"Bench sample {{tag}}")
sample.contacts.add(*contacts[:{sample}])
print(statement.pk, desk.pk, sample.pk, len(body.split()))
"""
CONFIRM = """
import time
from press import services as press
press.TASK_RANGE = {task_range}
from press.models import Distribution
from django.contrib.auth.models import User
# The services act for staff: the benchmark acts as a superuser of its own.
by = User.objects.get_or_create(
    username="bench", defaults={{"is_staff": True, "is_superuser": True}}
)[0]
distribution = Distribution.objects.create(
    statement_id={statement}, subject="Bench run {run}", when=Distribution.When.NOW
)
distribution.press_lists.add({desk})
started = time.time()
press.distribution_confirm(distribution=distribution, by=by)
print(distribution.pk, started)
"""
SWEEP = """
from datetime import timedelta
from django.utils import timezone
from core.emails import CLAIM_TIMEOUT
from press import services as press
from press.models import Delivery
from press.tasks import send_deliveries
long_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(minutes=1)
held = Delivery.objects.filter(state="sending").update(claimed_at=long_ago)
ranges = press.deliveries_sweep()
for distribution_id, lo, hi in ranges:
    send_deliveries.delay(distribution_id, lo, hi)
print(held, len(ranges))
"""
ONE_PER_CONNECTION = """
import django
django.setup()
from press import services as press
press.CLAIM_BATCH = 1
from config.celery import app
app.worker_main(["--quiet", "worker", "--pool=prefork", "--concurrency={processes}",
                 "--loglevel=WARNING", "--hostname", "{name}@%h"])
"""


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An aiosmtpd handler that accepts everything and keeps the delivery ids it was given,
    the size of each message, and the first KEPT messages as they came."""

    KEPT = 200

    def __init__(self):
        self.connections = 0
        self.accepted: list[tuple[int, float]] = []  # (delivery pk, when)
        self.sizes: list[int] = []
        self.kept: list[tuple[str, list[str], bytes]] = []  # (sender, recipients, message)

    async def handle_DATA(self, server, session, envelope):
        header = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(header)
        self.accepted.append((int(found.group(1)) if found else -1, time.time()))
        self.sizes.append(len(envelope.content))
        if len(self.kept) < self.KEPT:
            self.kept.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def reset(self) -> None:
        self.connections = 0
        self.accepted = []
        self.sizes = []
        self.kept = []


class SinkController(Controller):
    def factory(self):
        self.handler.connections += 1  # a new SMTP session per connection
        return SMTP(self.handler, **self.SMTP_kwargs)


class Stack:
    """The processes and services of one benchmark, stopped together."""

    def __init__(self, env: dict, database_url: str, redis_url: str, logs: Path):
        self.env = env
        self.redis = redis.Redis.from_url(redis_url)
        self.logs = logs
        self.workers: list[subprocess.Popen] = []
        self.started = 0
        self.db = psycopg.connect(database_url, autocommit=True)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise Failed(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str) -> list[str]:
        return self.manage("shell", "--no-imports", "-c", code).split()

    def start_worker(self, one_per_connection: bool = False) -> subprocess.Popen:
        self.started += 1
        name = f"bench{self.started}"
        if one_per_connection:
            code = ONE_PER_CONNECTION.format(name=name, processes=WORKER_PROCESSES)
            command = [sys.executable, "-c", code]
        else:
            command = [
                sys.executable, "-m", "celery", "--quiet", "-A", "config", "worker",
                "--pool=prefork", f"--concurrency={WORKER_PROCESSES}", "--loglevel=WARNING",
                "--hostname", f"{name}@%h",
            ]  # fmt: skip
        with open(self.logs / f"{name}.log", "w") as log:
            worker = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so the pool dies with it
            )  # fmt: skip
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen, sig=signal.SIGKILL, wait: float = 10) -> None:
        if worker not in self.workers:
            return
        self.workers.remove(worker)
        if worker.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, sig)
            try:
                worker.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        # The pool's children may outlive a parent that went first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)

    def stop(self) -> None:
        for worker in list(self.workers):
            self.kill(worker, signal.SIGTERM)
        self.db.close()
        self.redis.flushdb()

    def worker_log_tail(self, lines: int = 30) -> str:
        tails = []
        for log in sorted(self.logs.glob("bench*.log")):
            text = log.read_text(errors="replace").strip().splitlines()
            if text:
                tails.append(f"--- {log.name}\n" + "\n".join(text[-lines:]))
        return "\n".join(tails)

    def counts(self, distribution: int) -> dict[str, int]:
        return dict(
            self.db.execute(
                "SELECT state, count(*) FROM press_delivery WHERE distribution_id = %s "
                "GROUP BY state",
                [distribution],
            ).fetchall()
        )

    def rows(self, distribution: int) -> list[tuple]:
        return self.db.execute(
            "SELECT id, email, state, attempts, last_response FROM press_delivery "
            "WHERE distribution_id = %s ORDER BY id",
            [distribution],
        ).fetchall()

    def queued(self) -> int:
        return self.redis.llen("celery")


def unfinished(counts: dict[str, int]) -> int:
    return counts.get("pending", 0) + counts.get("sending", 0)


def settle(stack: Stack, sink: Sink, distribution: int, quiet: float, limit: float) -> dict:
    """Wait until no row is pending or sending, or nothing has moved for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        counts = stack.counts(distribution)
        if not unfinished(counts):
            return counts
        seen = (tuple(sorted(counts.items())), len(sink.accepted), stack.queued())
        if seen != last:
            last, since = seen, time.monotonic()
        elif time.monotonic() - since >= quiet and not stack.queued():
            return counts
        time.sleep(0.5)
    return stack.counts(distribution)


def describe(stack: Stack, distribution: int, counts: dict) -> str:
    stuck = [row for row in stack.rows(distribution) if row[2] != "sent"]
    lines = [f"states: {counts}"]
    for pk, email, state, attempts, response in stuck[:5]:
        lines.append(f"  delivery {pk} {email}: {state}, {attempts} attempts, {response[:120]!r}")
    answers = Counter((state, response[:80]) for _, _, state, _, response in stuck)
    for (state, response), count in answers.most_common(3):
        lines.append(f"  {count} rows {state}: {response!r}")
    tail = stack.worker_log_tail()
    if tail:
        lines.append("worker log:\n" + tail)
    return "\n".join(lines)


def confirm(stack: Stack, sink: Sink, statement: str, desk: str, run: int, task_range: str):
    sink.reset()
    distribution, started = stack.shell(
        CONFIRM.format(statement=statement, desk=desk, run=run, task_range=task_range)
    )
    return int(distribution), float(started)


def timed_run(stack: Stack, sink: Sink, statement: str, desk: str, n: int, run: int):
    one_per_connection = run == 2
    worker = stack.start_worker(one_per_connection)
    try:
        task_range = "1" if one_per_connection else "press.TASK_RANGE"
        distribution, started = confirm(stack, sink, statement, desk, run, task_range)
        # At least a message a second: one per connection, a long statement goes slowly.
        counts = settle(stack, sink, distribution, quiet=30, limit=max(300, n))
    finally:
        stack.kill(worker, signal.SIGTERM)
    if unfinished(counts) or counts.get("sent", 0) != n:
        raise Failed(f"run {run} did not finish: {describe(stack, distribution, counts)}")
    accepted = Counter(pk for pk, _ in sink.accepted)
    if len(accepted) != n or max(accepted.values()) != 1:
        raise Failed(f"run {run}: the sink accepted {len(accepted)} distinct of {n} messages")
    elapsed = max(at for _, at in sink.accepted) - started
    return n / elapsed, sink.connections, elapsed


def killed_run(stack: Stack, sink: Sink, statement: str, desk: str, n: int) -> int:
    """Kill the worker at each share of KILLS; sweep, as beat would, whenever nothing moves."""
    worker = stack.start_worker()
    distribution, started = confirm(stack, sink, statement, desk, 3, "press.TASK_RANGE")
    kills, sweeps = list(KILLS), 0
    deadline = time.monotonic() + max(300, n / 5)
    last, since, polled = None, time.monotonic(), 0.0
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if kills and len(sink.accepted) >= kills[0] * n:
            kills.pop(0)
            stack.kill(worker)
            print(
                f"  killed the worker at {len(sink.accepted)} accepted; "
                f"rows {stack.counts(distribution)}",
                flush=True,
            )
            worker = stack.start_worker()
            continue
        if time.monotonic() - polled < 0.5:
            continue
        polled = time.monotonic()
        counts = stack.counts(distribution)
        if not unfinished(counts):
            break
        seen = (tuple(sorted(counts.items())), len(sink.accepted), stack.queued())
        if seen != last:
            last, since = seen, time.monotonic()
        elif time.monotonic() - since >= 10 and not stack.queued():
            # Nothing moves and nothing is queued: no live worker holds a row.
            if sweeps == 10:
                break
            held, ranges = stack.shell(SWEEP)
            sweeps += 1
            print(f"  sweep {sweeps}: {held} rows held by dead workers, {ranges} ranges queued")
            last = None
    stack.kill(worker, signal.SIGTERM)
    if kills:
        print(f"  finished before the kills at {kills} of N")
    elapsed = max(at for _, at in sink.accepted) - started

    accepted = Counter(pk for pk, _ in sink.accepted)
    duplicates = {pk: count for pk, count in accepted.items() if count > 1}
    rows = stack.rows(distribution)
    sent_not_accepted = [row for row in rows if row[2] == "sent" and row[0] not in accepted]
    not_sent = [row for row in rows if row[2] != "sent"]
    missing = len(sent_not_accepted) + len(not_sent)
    print(
        f"run 3  kill -9 x{len(KILLS)}: {len(accepted)} distinct messages accepted for {n} rows in "
        f"{elapsed:.1f} s, {sweeps} sweeps; rows {stack.counts(distribution)}"
    )
    print(f"  duplicates: {sum(count - 1 for count in duplicates.values())}", end="")
    print(f" (delivery ids {sorted(duplicates)[:20]})" if duplicates else "")
    print(
        f"  missing: {missing} ({len(sent_not_accepted)} marked sent but never accepted, "
        f"{len(not_sent)} not sent)"
    )
    for pk, email, state, attempts, response in (sent_not_accepted + not_sent)[:20]:
        print(f"    delivery {pk} {email}: {state}, {attempts} attempts, {response[:100]!r}")
    return len(duplicates) + missing


def _plain_client(port: int, path: str, counts: list[int]) -> float:
    """Send the messages kept in `path` over a connection per count, that many each, one
    connection after another; returns when it started."""
    messages = pickle.loads(Path(path).read_bytes())
    started = time.time()
    sent = 0
    for count in counts:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for _ in range(count):
                sender, recipients, message = messages[sent % len(messages)]
                client.sendmail(sender, recipients, message)
                sent += 1
    return started


def plain_run(sink: Sink, port: int, kept: list, n: int, connections: int, clients: int):
    """Plain smtplib: the messages Jointly sent, N of them over as many connections as
    run 1 opened, with as many clients at once as the worker has processes."""
    sink.reset()
    shares = [n // connections + (i < n % connections) for i in range(connections)]
    with tempfile.NamedTemporaryFile(suffix=".pickle") as file:
        file.write(pickle.dumps(kept))
        file.flush()
        context = multiprocessing.get_context("spawn")
        with context.Pool(clients) as pool:
            jobs = [
                pool.apply_async(_plain_client, (port, file.name, shares[i::clients]))
                for i in range(clients)
            ]
            started = min(job.get(timeout=max(300, n / 10)) for job in jobs)
    if len(sink.accepted) != n:
        raise Failed(f"smtplib: the sink accepted {len(sink.accepted)} of {n} messages")
    elapsed = max(at for _, at in sink.accepted) - started
    return n / elapsed, sink.connections, elapsed


def prepare(args, var: str, database: str = BENCH_DB) -> tuple[dict, str, str]:
    database_url = fresh_database(database)
    redis_url = fresh_redis(args.redis_db)
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "JOINTLY_VAR_DIR": var,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PRESS_RATE_PER_MINUTE": "100000000",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_USE_TLS": "0",
    }
    return env, database_url, redis_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="journalists on the press list")
    parser.add_argument(
        "--n2", type=int, default=1000, help="messages in run 2 (at most N): it is the slow one"
    )
    parser.add_argument("--redis-db", type=int, default=5, help="Redis database to use and flush")
    args = parser.parse_args()
    n2 = min(args.n, args.n2)
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}; "
        f"N={args.n}, Celery prefork 2 processes",
        flush=True,
    )

    sink = Sink()
    port = free_port()
    controller = SinkController(sink, hostname="127.0.0.1", port=port)
    stack = None
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as var:
        try:
            env, database_url, redis_url = prepare(args, var)
            controller.start()
            env["EMAIL_PORT"] = str(port)
            stack = Stack(env, database_url, redis_url, Path(var))
            stack.manage("migrate", "--noinput")
            tag = time.time_ns()
            setup = SETUP.format(n=args.n, sample=n2, tag=tag, signatories=SIGNATORIES)
            statement, desk, sample, words = stack.shell(setup)

            rate1, connections1, elapsed1 = timed_run(stack, sink, statement, desk, args.n, 1)
            sizes, kept = sink.sizes, sink.kept
            print(
                f"the statement: {words} words of body, {SIGNATORIES} organizations signed; "
                f"messages of {min(sizes)} to {max(sizes)} bytes, {sum(sizes) / len(sizes):.0f} "
                f"on average",
            )
            print(
                f"run 1  batches:            {rate1:7.1f} messages/s "
                f"({args.n} in {elapsed1:.1f} s), {connections1} SMTP connections",
                flush=True,
            )
            rate0, connections0, elapsed0 = plain_run(
                sink, port, kept, args.n, connections1, WORKER_PROCESSES
            )
            print(
                f"smtplib   the same messages: {rate0:7.1f} messages/s "
                f"({args.n} in {elapsed0:.1f} s), {connections0} SMTP connections, "
                f"{WORKER_PROCESSES} clients at once",
                flush=True,
            )
            print(f"run 1 / smtplib: {rate1 / rate0:.2f} of the messages per second", flush=True)
            stack.redis.flushdb()
            rate2, connections2, elapsed2 = timed_run(stack, sink, statement, sample, n2, 2)
            print(
                f"run 2  one per connection: {rate2:7.1f} messages/s "
                f"({n2} in {elapsed2:.1f} s), {connections2} SMTP connections",
                flush=True,
            )
            print(f"run 1 / run 2: {rate1 / rate2:.2f}x the messages per second", flush=True)
            stack.redis.flushdb()
            problems = killed_run(stack, sink, statement, desk, args.n)
        except Failed as error:
            sys.exit(str(error))
        finally:
            if stack:
                stack.stop()
            controller.stop()
            print(f"total {time.monotonic() - started:.0f} s", flush=True)
    if problems:
        sys.exit("run 3: some journalists got the statement twice or not at all")


if __name__ == "__main__":
    main()
