"""Reads whose SQL is kept: the rows are read each time, the queryset built once a key."""

import pytest

from core.queries import kept_rows
from organizations.models import Organization
from tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_it_builds_the_queryset_once_and_reads_the_rows_each_time():
    make_organization(name="Alpha")
    built = []

    def build():
        built.append(1)
        return Organization.objects.order_by("name").values_list("name", "created_at")

    first = kept_rows(("test_queries", "names"), build)
    make_organization(name="Beta")
    second = kept_rows(("test_queries", "names"), build)
    assert len(built) == 1
    assert [name for name, _ in first] == ["Alpha"]
    assert second == list(build())  # the queryset's own rows, converted alike
    assert [name for name, _ in second] == ["Alpha", "Beta"]


def test_each_key_has_its_own_sql():
    make_organization(name="Alpha")
    make_organization(name="Beta")
    for name in ["Alpha", "Beta"]:
        rows = kept_rows(
            ("test_queries", "named", name),
            lambda name=name: Organization.objects.filter(name=name).values_list("name"),
        )
        assert rows == [(name,)]
