"""bench/search_speed.py at a small size: it builds, searches and prints its lines, and
the new ranking puts the same statements on the page as the old one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench measures PostgreSQL")
def test_the_search_bench_runs_at_a_small_size():
    # Its own database (jointly_bench_search, made with psql), not the test run's.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/search_speed.py", "--statements", "250", "--n", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250 statements built" in result.stdout
    assert "load average" in result.stdout
    for search in ("rare word", "common word", "several words"):
        assert search in result.stdout
    assert " NO\n" not in result.stdout
