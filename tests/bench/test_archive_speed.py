"""bench/archive_speed.py measures the archive at small sizes on the test database and
prints its lines: the page-1, deep-page and filtered rows with their ratios and the load."""

import importlib
from pathlib import Path

import pytest
from django.db import IntegrityError

from campaigns.models import Campaign
from organizations.models import Organization
from statements.models import Demand, Signature, Statement
from tests.factories import make_organization, make_signatures, make_statement

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_speed(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("archive_speed")


def ours():
    """How many rows of each table the bench added."""
    prefix = "bench-archive-"
    return [
        Signature.objects.filter(statement__slug__startswith=prefix).count(),
        Statement.objects.filter(slug__startswith=prefix).count(),
        Organization.objects.filter(slug__startswith=prefix).count(),
        Campaign.objects.filter(slug__startswith=prefix).count(),
    ]


def test_it_removes_what_it_added_and_nothing_else(archive_speed):
    other = make_statement(status=Statement.Status.PUBLISHED)
    make_signatures(other, 2)
    stranger = make_organization()
    archive_speed.grow(12)
    assert ours() == [60, 12, 9, 5]
    archive_speed.remove()
    assert ours() == [0, 0, 0, 0]
    assert Statement.objects.get() == other
    assert other.signatures.count() == 2
    assert Organization.objects.filter(pk=stranger.pk).exists()


def test_it_removes_nothing_when_another_row_refers_to_its_own(archive_speed):
    archive_speed.grow(12)
    statement = Statement.objects.filter(slug__startswith="bench-archive-").first()
    Demand.objects.create(statement=statement, text="Not the bench's")
    with pytest.raises(IntegrityError):
        archive_speed.remove()
    assert ours() == [60, 12, 9, 5]
    assert Demand.objects.filter(statement=statement).exists()


def test_it_measures_page_1_a_deep_page_and_a_filtered_page(archive_speed, capsys):
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
    # CPU, wall and SQL time, each with its ratio to the smallest archive: 1 there.
    first = out.splitlines()[2]
    assert first.count(" ms  1.00×") == 3
    assert " CPU " in first and " wall " in first and " SQL " in first
    assert out.rstrip().splitlines()[-1].startswith("Load after: ")
