"""Past one machine: two web processes and two Celery workers on one PostgreSQL and one Redis.

Uses the machinery of press_send.py (a fresh jointly_scale_out database or DATABASE_URL,
a Redis database of its own, an SMTP sink in this process). It starts two gunicorns on
two ports and two Celery workers (prefork, 2 processes each), then:

1. a published statement's page is read from both gunicorns (so that each holds it in
   the page cache and in its own memory), its title is changed as a staff edit changes
   it (committed, then public_pages_changed), and both are read every 20 ms until both
   show the new title: the time each took is printed, and it must be under a second;
2. a press distribution to N journalists (2,000 by default) is confirmed and one of the
   two workers is killed with SIGKILL at about 31% sent; the other carries on, and
   whenever nothing moves the sweep runs as beat would. Every journalist must get the
   statement exactly once (the sink counts Message-IDs).

It exits non-zero if either fails. Every process it started is stopped on the way out.

    .venv/bin/python bench/scale_out.py [--n 2000] [--redis-db 6]
"""

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from press_send import (
    CONFIRM,
    ROOT,
    SETUP,
    SIGNATORIES,
    SWEEP,
    Failed,
    Sink,
    SinkController,
    Stack,
    free_port,
    prepare,
    unfinished,
)

CHANGE = """
import time
from django.db import transaction
from core.pagecache import public_pages_changed
from statements.models import Statement
statement = Statement.objects.get(pk={statement})
with transaction.atomic():
    Statement.objects.filter(pk=statement.pk).update(title="{title}")
    public_pages_changed(*statement.page_parts())
print(time.time())
"""
SLUG = "from statements.models import Statement; print(Statement.objects.get(pk={pk}).slug)"
KILL_AT = 0.31


def start_web(stack: Stack, port: int) -> subprocess.Popen:
    log = open(stack.logs / f"web{port}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--access-logfile", "-"],
        cwd=ROOT, env=stack.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def read(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
        return answer.read().decode()


def wait_up(port: int, path: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            read(port, path)
            return
        except OSError:
            time.sleep(0.2)
    raise Failed(f"gunicorn on port {port} did not answer {path}")


def change_reaches_both(stack: Stack, ports: list[int], statement: str, path: str) -> list:
    for port in ports:  # warm: each holds the page in Redis and in its own memory
        read(port, path)
        read(port, path)
    title = f"Changed {time.time_ns()}"
    [committed] = stack.shell(CHANGE.format(statement=statement, title=title))
    committed = float(committed)
    seen: dict[int, float] = {}
    deadline = time.time() + 10
    while len(seen) < len(ports) and time.time() < deadline:
        for port in ports:
            if port not in seen and title in read(port, path):
                seen[port] = time.time() - committed
        time.sleep(0.02)
    return [seen.get(port) for port in ports]


def killed_worker_run(stack: Stack, sink: Sink, statement: str, desk: str, n: int) -> int:
    workers = [stack.start_worker(), stack.start_worker()]
    time.sleep(3)  # both connected before the tasks are queued
    sink.reset()
    distribution, started = stack.shell(
        CONFIRM.format(statement=statement, desk=desk, run=1, task_range="press.TASK_RANGE")
    )
    distribution, started = int(distribution), float(started)
    killed, sweeps = False, 0
    deadline = time.monotonic() + max(300, n / 5)
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if not killed and len(sink.accepted) >= KILL_AT * n:
            stack.kill(workers[0])
            killed = True
            print(f"  killed one worker at {len(sink.accepted)} accepted", flush=True)
            continue
        counts = stack.counts(distribution)
        if not unfinished(counts):
            break
        seen = (tuple(sorted(counts.items())), len(sink.accepted), stack.queued())
        if seen != last:
            last, since = seen, time.monotonic()
        elif time.monotonic() - since >= 10 and not stack.queued():
            if sweeps == 10:
                break
            held, ranges = stack.shell(SWEEP)
            sweeps += 1
            print(f"  sweep {sweeps}: {held} rows held by the dead worker, {ranges} ranges queued")
            last = None
    elapsed = max(at for _, at in sink.accepted) - started
    accepted = Counter(pk for pk, _ in sink.accepted)
    rows = stack.rows(distribution)
    duplicates = sum(count - 1 for count in accepted.values() if count > 1)
    lost = [row for row in rows if row[2] != "sent" or row[0] not in accepted]
    missing = len(lost)
    for pk, email, state, attempts, last_response in lost[:10]:
        # Which of the two ways it went missing: never sent, or sent and never received.
        print(f"  missing: delivery {pk} <{email}> {state}, {attempts} attempts: {last_response}")
    print(
        f"press: {len(accepted)} distinct messages for {n} journalists in {elapsed:.1f} s "
        f"({n / elapsed:.0f}/s), one of two workers killed, {sweeps} sweeps; "
        f"duplicates {duplicates}, missing {missing}",
        flush=True,
    )
    return duplicates + missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="journalists on the press list")
    parser.add_argument("--redis-db", type=int, default=6, help="Redis database to use and flush")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}; N={args.n}", flush=True)
    sink = Sink()
    smtp_port = free_port()
    controller = SinkController(sink, hostname="127.0.0.1", port=smtp_port)
    stack, webs, problems = None, [], 0
    with tempfile.TemporaryDirectory() as var:
        try:
            env, database_url, redis_url = prepare(args, var, "jointly_scale_out")
            controller.start()
            env["EMAIL_PORT"] = str(smtp_port)
            stack = Stack(env, database_url, redis_url, Path(var))
            stack.manage("migrate", "--noinput")
            stack.manage("collectstatic", "--noinput", "-v0")
            tag = time.time_ns()
            statement, desk, _sample, _words = stack.shell(
                SETUP.format(n=args.n, sample=1, tag=tag, signatories=SIGNATORIES)
            )
            [slug] = stack.shell(SLUG.format(pk=statement))
            path = f"/statements/{slug}/"
            ports = [free_port(), free_port()]
            webs = [start_web(stack, port) for port in ports]
            for port in ports:
                wait_up(port, path)

            delays = change_reaches_both(stack, ports, statement, path)
            shown = ", ".join(
                f"port {p}: {d * 1000:.0f} ms" if d is not None else f"port {p}: never"
                for p, d in zip(ports, delays, strict=True)
            )
            print(f"a changed title shown by both web processes after the commit: {shown}")
            if any(d is None or d >= 1 for d in delays):
                problems += 1
            problems += killed_worker_run(stack, sink, statement, desk, args.n)
        except Failed as error:
            sys.exit(str(error))
        finally:
            for web in webs:
                os.killpg(web.pid, signal.SIGTERM)
                web.wait(timeout=10)
            if stack:
                stack.stop()
            controller.stop()
    if problems:
        sys.exit("the change was late on a web process, or a journalist got it twice or never")


if __name__ == "__main__":
    main()
