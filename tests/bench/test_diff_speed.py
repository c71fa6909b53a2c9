"""bench/diff_speed.py runs at a small size and prints its lines."""

import importlib
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_it_prints_the_machine_the_sizes_and_the_growth(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCH))
    diff_speed = importlib.import_module("diff_speed")

    results = diff_speed.main(["--n", "1", "--sizes", "200,400", "--old", "200"])

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("machine: ") and "load average" in lines[0]
    assert "words, 6 changes: word_diff" in lines[1] and "new/old" in lines[1]
    assert "same word diff as the old: yes" in lines[1]
    assert "new/old" not in lines[2]
    assert lines[3].startswith("growth ")
    assert lines[4].startswith("load average after: ")
    assert results[0]["words"] >= 200 and results[1]["words"] >= 400
