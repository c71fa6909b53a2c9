"""Celery in production's shape: readiness sees a worker, a request's id follows it into
its tasks, two beats send each entry once, a killed worker's task runs again."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.signals import task_prerun
from django.conf import settings as django_settings
from django.urls import reverse

from config.celery import app as celery_app
from core import health
from core.requestid import request_id
from statements.tasks import send_unsent_emails
from tests.config.celery_tasks import hold
from tests.conftest import celery_settings
from tests.factories import cosign_data, make_open_statement
from tests.support import wait_for

pytestmark = [
    pytest.mark.realstack,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
]


@pytest.fixture
def ids_at_start():
    """The request id each task started with in the worker, by task name."""
    seen: dict[str, str] = {}

    def record(task=None, **kwargs):
        seen[task.name] = request_id.get()

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


def test_readiness_sees_a_worker_and_redis(client, celery_worker):
    health.Worker.seen_at = 0.0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.json() == {"database": "ok", "migrations": "ok", "redis": "ok", "worker": "ok"}
    assert response.status_code == 200


def test_readiness_fails_without_a_worker(client):
    health.Worker.seen_at = 0.0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["worker"] == "Unavailable: Celery workers unavailable"
    assert response.json()["redis"] == "ok"


def test_a_request_id_follows_the_request_into_the_task_it_queues(
    client, celery_worker, smtp_port, ids_at_start
):
    statement = make_open_statement()
    response = client.post(
        reverse("cosign", args=[statement.slug]),
        cosign_data(),
        HTTP_X_REQUEST_ID="cosign-request-0001",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "cosign-request-0001"
    assert wait_for(lambda: "statements.tasks.send_email" in ids_at_start), "no task ran"
    assert ids_at_start["statements.tasks.send_email"] == "cosign-request-0001"
    # The worker's next task, queued by no request, starts without it.
    send_unsent_emails.delay()
    assert wait_for(lambda: "statements.tasks.send_unsent_emails" in ids_at_start)
    assert ids_at_start["statements.tasks.send_unsent_emails"] == ""


ROOT = Path(__file__).resolve().parents[2]


class Processes:
    """Celery processes started for a test, each in its own process group, its log in a
    file; all killed at the end."""

    def __init__(self, folder: Path):
        self.folder, self.started = folder, []
        self.env = {
            **os.environ,
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "REDIS_URL": django_settings.REDIS_URL,
            "JOINTLY_VAR_DIR": str(folder / "var"),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            # Beat's most frequent entry, every second, to count what it sends.
            "PUBLISH_CHECK_SECONDS": "1",
            # A worker started as root (as here) warns so before logging is set up, in
            # plain text; the image runs it as another user.
            "PYTHONWARNINGS": "ignore::UserWarning",
        }

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        process.log_path, process.log_file = self.folder / f"{name}.log", log
        self.started.append(process)
        return process

    @staticmethod
    def lines(process) -> list[dict]:
        """Its log so far: one JSON object a line (LOG_FORMAT=json)."""
        text = process.log_path.read_text()
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    @staticmethod
    def said(process, message: str) -> bool:
        return any(line["message"] == message for line in Processes.lines(process))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            process.log_file.close()


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def broker():
    """The Redis of REDIS_URL, without beat's keys or the default queue before and after."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)

    def clean():
        keys = list(client.scan_iter("redbeat*"))
        client.delete("celery", *keys)

    clean()
    yield client
    clean()
    client.close()


def sent(broker, task: str) -> int:
    """How many messages of this task wait in the default queue."""
    return sum(
        json.loads(message)["headers"]["task"] == task for message in broker.lrange("celery", 0, -1)
    )


PUBLISH = "statements.tasks.publish_due_statements"


def test_a_second_beat_waits_for_the_lock_and_sends_nothing(processes, broker):
    first = processes.start("beat-1", "beat", "--loglevel=INFO")
    assert wait_for(lambda: processes.said(first, "beat: Acquired lock"), 30)
    second = processes.start("beat-2", "beat", "--loglevel=INFO")
    assert wait_for(lambda: processes.said(second, "beat: Starting..."), 30)

    before = sent(broker, PUBLISH)
    time.sleep(6)
    count = sent(broker, PUBLISH) - before
    # One a second, from the first beat alone.
    assert 4 <= count <= 8, count
    assert not processes.said(second, "beat: Acquired lock")
    assert not any("Sending due task" in line["message"] for line in processes.lines(second))
    # Every line each beat printed is JSON, with the fields of LOG_FORMAT=json.
    for line in processes.lines(first) + processes.lines(second):
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)

    # The first stops: it lets the lock go, and the second takes over.
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=20)
    assert wait_for(lambda: processes.said(second, "beat: Acquired lock"), 20)
    before = sent(broker, PUBLISH)
    assert wait_for(lambda: sent(broker, PUBLISH) >= before + 2, 10)


def test_a_task_whose_worker_process_is_killed_runs_again_on_another(processes, tmp_path):
    folder = tmp_path / "hold"
    folder.mkdir()
    queue = f"test-{uuid.uuid4().hex}"
    worker = ["worker", "--pool=prefork", "--concurrency=1", "-Q", queue, "--loglevel=INFO"]
    worker += ["-I", "tests.config.celery_tasks", "--without-gossip", "--without-mingle"]
    first = processes.start("worker-1", *worker, "-n", f"first-{queue}@%h")
    with celery_settings(task_always_eager=False, broker_url=django_settings.REDIS_URL):
        assert wait_for(
            lambda: celery_app.control.ping(destination=[f"first-{queue}@{socket.gethostname()}"]),
            60,
        ), "the first worker never started"
        hold.apply_async((str(folder),), queue=queue)
        assert wait_for(lambda: list(folder.glob("started-*")), 30), "the task never started"
        [started] = folder.glob("started-*")
        killed = int(started.name.removeprefix("started-"))
        second = processes.start("worker-2", *worker, "-n", f"second-{queue}@%h")
        assert wait_for(
            lambda: celery_app.control.ping(destination=[f"second-{queue}@{socket.gethostname()}"]),
            60,
        ), "the second worker never started"

        # The first takes nothing more, so that the task can only run again on the second;
        # then the process running it dies as the kernel's OOM killer would end it.
        celery_app.control.cancel_consumer(
            queue, destination=[f"first-{queue}@{socket.gethostname()}"], reply=True
        )
        os.kill(killed, signal.SIGKILL)
        assert wait_for(lambda: len(list(folder.glob("started-*"))) == 2, 30), (
            "the task was not run again"
        )
        (folder / "release").touch()
        assert wait_for(lambda: list(folder.glob("finished-*")), 30)
        time.sleep(1)

    [again] = [p for p in folder.glob("started-*") if p != started]
    runner = int(again.name.removeprefix("started-"))
    assert [p.name for p in folder.glob("finished-*")] == [f"finished-{runner}"]
    assert runner in _children(second.pid), "not run again by the second worker"
    # The first said why it gave the task back.
    assert any("WorkerLostError" in line["message"] for line in processes.lines(first))


def _children(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
