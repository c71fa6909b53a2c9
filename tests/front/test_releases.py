"""front.releases.with_release_issuers: each card's issuers and first signatories."""

import pytest

from front.releases import with_release_issuers
from statements.models import Signature, Statement
from tests.factories import make_individuals, make_organization, make_statement

pytestmark = pytest.mark.django_db


def sign(statement, names, role=Signature.Role.SIGNATORY):
    for position, name in enumerate(names):
        organization = make_organization(name=name, short_name="")
        Signature.objects.create(
            statement=statement, organization=organization, role=role, position=position
        )


def names(signatures):
    return [signature.organization.name for signature in signatures]


def test_it_names_issuers_by_position_and_signatories_by_name():
    statement = make_statement(status=Statement.Status.PUBLISHED)
    sign(statement, ["Zulu Rights", "Yankee Relief"], role=Signature.Role.ISSUER)
    sign(statement, ["Delta Aid", "Alpha Aid", "Charlie Aid", "Bravo Aid"])
    no_issuers = make_statement(status=Statement.Status.PUBLISHED)
    sign(no_issuers, ["Delta Aid 2", "Alpha Aid 2", "Charlie Aid 2", "Bravo Aid 2"])
    make_individuals(no_issuers, 2)
    issued, signed = with_release_issuers([statement, no_issuers])
    assert names(issued.issuer_signatures) == ["Zulu Rights", "Yankee Relief"]
    assert issued.card_signatures == []
    assert names(signed.card_signatures) == ["Alpha Aid 2", "Bravo Aid 2", "Charlie Aid 2"]
    assert signed.card_signatories_left == 1
    assert signed.signatory_counts == {"organizations": 4, "individuals": 2}
