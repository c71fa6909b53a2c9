"""bench/scale_out.py: two gunicorns and two Celery workers on one PostgreSQL and one
Redis; a change shows on both within a second, and a press send survives a killed
worker with every journalist reached once. Real processes, so marked."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.realstack


def test_two_web_processes_and_two_workers_hold_together():
    # Its own database (jointly_scale_out, made with psql), not the test run's; the test
    # run's Redis database, which it flushes.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    redis_db = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")).path.strip("/")
    result = subprocess.run(
        [sys.executable, "bench/scale_out.py", "--n", "400", "--redis-db", redis_db or "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shown by both web processes" in result.stdout
    assert "duplicates 0, missing 0" in result.stdout
