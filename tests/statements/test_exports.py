"""The signatories CSV: both tiers in the list's order, numbered, with what the page
prints of each and when the file was made; those not listed after them."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from statements.models import SignatoryGroup, Signature, Statement
from statements.services.exports import CSV_COLUMNS, signatories_export
from tests.factories import make_organization, make_statement

pytestmark = pytest.mark.django_db

PUBLICATION = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)


def exported(statement, by) -> list[dict]:
    out = io.StringIO()
    count = signatories_export(statement=statement, out=out, by=by)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == count
    return rows


def test_it_exports_both_tiers_in_the_list_s_order_then_those_not_listed(staff):
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        published_at=PUBLICATION,
        signers=Statement.Signers.EVERYONE,
        signatory_grouping=Statement.SignatoryGrouping.GROUPS,
    )
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead organizations")
    issuer = make_organization(name="Issuing Coalition", short_name="IC", country="US")
    Signature.objects.create(statement=statement, organization=issuer, role="issuer")
    Signature.objects.create(
        statement=statement, organization=make_organization(name="Zeta Aid"), group=lead
    )
    Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Amal Relief", short_name="AR", country="SY"),
        decided_at=datetime.datetime(2026, 10, 14, 12, tzinfo=datetime.UTC),
    )
    Signature.objects.create(
        statement=statement,
        kind=Signature.Kind.INDIVIDUAL,
        signer_name="Amaka Okafor",
        signer_title="Professor",
        affiliation="University of Lagos",
        signer_country="NG",
        signer_email="amaka@example.org",
        consent_publish=True,
    )
    Signature.objects.create(
        statement=statement,
        kind=Signature.Kind.INDIVIDUAL,
        signer_name="Bob Adams",
        signer_email="bob@example.org",
        consent_publish=True,
        state=Signature.State.CONFIRMED,
        source=Signature.Source.FORM,
    )

    before = timezone.localtime().replace(second=0, microsecond=0)
    rows = exported(statement, staff)

    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["kind"], r["number"], r["name"], r["group"]) for r in rows] == [
        ("organization", "", "Issuing Coalition", ""),
        ("organization", "1", "Zeta Aid", "Lead organizations"),
        ("organization", "2", "Amal Relief", ""),
        ("individual", "1", "Amaka Okafor", ""),
        ("individual", "", "Bob Adams", ""),
    ]
    amal, amaka, bob = rows[2], rows[3], rows[4]
    assert (amal["short name"], amal["country"], amal["joined on"]) == ("AR", "Syria", "2026-10-14")
    assert rows[1]["joined on"] == ""
    assert (amaka["title"], amaka["affiliation"], amaka["country"]) == (
        "Professor",
        "University of Lagos",
        "Nigeria",
    )
    assert amaka["email"] == "amaka@example.org"
    assert bob["state"] == "Awaiting approval"
    # Every row says when the file was made.
    assert len({r["exported at"] for r in rows}) == 1
    assert datetime.datetime.fromisoformat(rows[0]["exported at"]) >= before


def test_outsiders_may_not_export(outsider):
    statement = make_statement()
    with pytest.raises(PermissionDenied, match="You may not export signatories"):
        signatories_export(statement=statement, out=io.StringIO(), by=outsider)
