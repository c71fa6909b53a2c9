"""bench/cosign_submit.py's percentiles stay within what was measured."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def cosign_submit(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("cosign_submit")


@pytest.mark.parametrize("n", [2, 50, 100, 1000])
def test_its_percentiles_never_pass_the_maximum(cosign_submit, n):
    # One slow submission among fast ones: the exclusive method put p99 above it at 50.
    ms = sorted([10.0 + i / n for i in range(n - 1)] + [500.0])
    p = cosign_submit.percentiles(ms)
    assert ms[0] <= p[50] <= p[95] <= p[99] <= ms[-1]


def test_its_median_is_the_middle_of_the_submissions(cosign_submit):
    assert cosign_submit.percentiles([1.0, 2.0, 3.0, 4.0, 100.0])[50] == 3.0
