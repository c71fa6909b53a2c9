"""Small helpers that make valid objects; tests override only what they are about."""

import datetime
import itertools

from django.utils import timezone

from campaigns.models import CallToAction, Campaign
from organizations.models import Contact, Organization
from statements.models import Signature, Statement

_seq = itertools.count(1)


def make_organization(**fields) -> Organization:
    n = next(_seq)
    defaults = {"name": f"Organization {n}", "slug": f"organization-{n}", "short_name": f"O{n}"}
    return Organization.objects.create(**(defaults | fields))


def make_contact(**fields) -> Contact:
    n = next(_seq)
    defaults = {"name": f"Person {n}", "title": "Press officer", "email": f"person{n}@example.org"}
    if "organization" not in fields:
        defaults["organization"] = make_organization()
    return Contact.objects.create(**(defaults | fields))


def make_campaign(**fields) -> Campaign:
    n = next(_seq)
    defaults = {"title": f"Campaign {n}", "slug": f"campaign-{n}"}
    return Campaign.objects.create(**(defaults | fields))


def make_call_to_action(**fields) -> CallToAction:
    """A "read more" call of a new campaign unless told otherwise."""
    n = next(_seq)
    defaults = {
        "kind": CallToAction.Kind.READ_MORE,
        "title": f"Call {n}",
        "url": f"https://example.org/{n}",
    }
    if "campaign" not in fields:
        statement = fields.get("statement")
        defaults["campaign"] = statement.campaign if statement else make_campaign()
    return CallToAction.objects.create(**(defaults | fields))


def make_statement(**fields) -> Statement:
    """A draft by default; status="published" also fills in the dates publishing requires."""
    n = next(_seq)
    defaults = {
        "title": f"Statement {n}",
        "slug": f"statement-{n}",
        "body": "We speak together.",
        "release_date": datetime.date(2024, 6, 26),
    }
    if fields.get("status") in Statement.PUBLIC_STATUSES:
        defaults["published_at"] = timezone.now()
    if fields.get("status") == Statement.Status.RETRACTED:
        defaults |= {"retracted_at": timezone.now(), "retraction_note": "Withdrawn."}
    return Statement.objects.create(**(defaults | fields))


def make_signatures(statement: Statement, count: int, role=Signature.Role.SIGNATORY):
    """Approved signatures of as many new organizations."""
    prefix = f"{statement.pk}-{role}-{next(_seq)}"
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Signer {prefix}-{i}", slug=f"signer-{prefix}-{i}") for i in range(count)
    )
    return Signature.objects.bulk_create(
        Signature(statement=statement, organization=o, role=role, position=i)
        for i, o in enumerate(organizations)
    )
