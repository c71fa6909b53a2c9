"""bench/archive_speed.py measures the archive at small sizes on the test database and
prints its lines: the page-1, deep-page and filtered rows with their ratios and the load."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.django_db


def test_it_measures_page_1_a_deep_page_and_a_filtered_page(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCH))
    archive_speed = importlib.import_module("archive_speed")
    rows = archive_speed.run(sizes=[10, 45], n=1, deep_page=3)
    assert [(size, label) for size, label, *_ in rows] == [
        (10, "page 1"),
        (10, "one organization"),
        (45, "page 1"),
        (45, "page 3"),
        (45, "one organization"),
    ]
    # The same page costs the same queries at both sizes.
    queries = {(label, q) for _, label, _, _, q in rows if label != "page 3"}
    assert len(queries) == 2
    out = capsys.readouterr().out
    assert out.startswith("Machine: ")
    assert "CPUs, Python" in out and "load" in out
    assert "45 statements,    34 organizations, page 3" in out
    assert out.rstrip().splitlines()[-1].startswith("Load after: ")
