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
    # Page 3 exists only at 45: at 10 the deepest page is the last, page 1.
    assert [(size, label) for size, label, *_ in rows] == [
        (10, "page 1"),
        (10, "page 1 (last)"),
        (10, "one organization"),
        (45, "page 1"),
        (45, "page 3"),
        (45, "one organization"),
    ]
    # The same page costs the same queries at both sizes.
    queries = [q for *_, q in rows]
    assert queries[:3] == queries[3:]
    out = capsys.readouterr().out
    assert out.startswith("Machine: ")
    assert "CPUs, Python" in out and "load" in out
    assert "45 statements,    34 organizations, page 3" in out
    assert out.rstrip().splitlines()[-1].startswith("Load after: ")
