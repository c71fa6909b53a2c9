"""Small helpers that make valid objects; tests override only what they are about."""

import datetime
import io
import itertools
import struct
import zlib

from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image

from campaigns.models import CallToAction, Campaign
from core.names import family_name_first
from core.tokens import token_new
from organizations.models import Contact, Organization, PressList
from press.models import Distribution
from statements.forms import CosignForm
from statements.models import (
    Demand,
    PressContact,
    Quote,
    RelatedLink,
    Signature,
    SignatureToken,
    Statement,
)
from statements.services import cosigning

_seq = itertools.count(1)


def make_staff() -> User:
    """A superuser, for what a test has staff do on its way to what it is about."""
    n = next(_seq)
    return User.objects.create_superuser(f"staff-{n}", f"staff-{n}@example.org", "unused")


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
        Organization(
            name=f"Signer {prefix}-{i}",
            slug=f"signer-{prefix}-{i}",
            sort_name=f"Signer {prefix}-{i}",
        )
        for i in range(count)
    )
    return Signature.objects.bulk_create(
        Signature(statement=statement, organization=o, role=role, position=i)
        for i, o in enumerate(organizations)
    )


def make_individuals(statement: Statement, count: int, **fields):
    """Approved individual signatures of as many people (bulk_create: no save(), so the
    keys save() would set are set here)."""
    prefix = next(_seq)
    people = []
    for i in range(count):
        name = f"Person{prefix} Family{i:05d}"
        email = f"person{prefix}-{i}@example.org"
        defaults = {
            "statement": statement,
            "kind": Signature.Kind.INDIVIDUAL,
            "signer_name": name,
            "signer_title": "Researcher",
            "affiliation": f"University {i}",
            "signer_email": email,
            "person_key": email,
            "sort_key": family_name_first(name),
            "consent_publish": True,
            "position": i,
        }
        people.append(Signature(**(defaults | fields)))
    return Signature.objects.bulk_create(people)


def make_full_statement(**fields) -> Statement:
    """A published statement with every part a reader sees: demands (out of order),
    a quote, an issuer, a press contact, a related link and a campaign.

    Its slugs are fixed (market-strike, protect-civilians, ccp), so make one per test.
    """
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        kind=Statement.Kind.URGENT_JOINT_STATEMENT,
        title="Market strike demands an answer",
        slug="market-strike",
        standfirst="Eight organizations speak together.",
        dateline="WASHINGTON, DC",
        release_date=datetime.date(2024, 6, 26),
        body="We **condemn** the strike. <script>alert(1)</script>",
        campaign=make_campaign(title="Protect civilians", slug="protect-civilians"),
        **fields,
    )
    Demand.objects.create(
        statement=statement, position=2, heading="Access", text="Open the crossings."
    )
    Demand.objects.create(
        statement=statement, position=1, heading="Ceasefire", text="Stop the shelling."
    )
    issuer = make_organization(
        name="Coalition for Civilian Protection", short_name="CCP", slug="ccp", country="US"
    )
    Signature.objects.create(statement=statement, organization=issuer, role=Signature.Role.ISSUER)
    Quote.objects.create(
        statement=statement, text="Markets are not targets.", person_name="Rana Haddad",
        person_title="Director", organization=issuer,
    )  # fmt: skip
    contact = make_contact(
        organization=issuer, name="Sam Okafor", title="Press officer",
        email="press@ccp.example.org", phone="+1 202 555 0100",
    )  # fmt: skip
    PressContact.objects.create(statement=statement, contact=contact)
    RelatedLink.objects.create(
        statement=statement, title="Earlier report", url="https://example.org/r"
    )
    return statement


def make_signed_statement(names=("Alpha Aid", "Beta Rights", "Gamma Union"), **fields):
    """A draft with a signatory organization per name, each with a contact."""
    statement = make_statement(body="The first text.", **fields)
    contacts = []
    for n, name in enumerate(names):
        organization = make_organization(name=name)
        Signature.objects.create(
            statement=statement,
            organization=organization,
            role=Signature.Role.ISSUER if n == 0 else Signature.Role.SIGNATORY,
            position=n,
        )
        contacts.append(
            make_contact(organization=organization, email=f"{name.split()[0].lower()}@example.org")
        )
    return statement, contacts


# Co-signing


def make_open_statement(**fields) -> Statement:
    """A published statement open for co-signing."""
    defaults = {"status": Statement.Status.PUBLISHED, "cosign_open": True}
    return make_statement(**(defaults | fields))


def cosign_data(**overrides) -> dict:
    """The co-sign form as a browser posts it."""
    data = {
        "organization_name": "Rukban Aid Committee",
        "website": "https://rukban.example.org",
        "country": "JO",
        "kind": "ngo",
        "signer_name": "Layla Haddad",
        "signer_title": "Coordinator",
        "signer_email": "layla@rukban.example.org",
        "signer_phone": "+962 6 555 0100",
        "authorized": "on",
        "consent_contact": "on",
        "message": "Count us in.",
        "fax_number": "",
    }
    return data | overrides


def submitted(statement: Statement, **overrides) -> Signature:
    """A signature submitted through the co-signing service, as the form would."""
    data = cosign_data(**overrides)
    cosign = cosigning.Cosign(
        organization_name=data["organization_name"],
        website=data["website"],
        country=data["country"],
        kind=data["kind"],
        signer_name=data["signer_name"],
        signer_title=data["signer_title"],
        signer_email=data["signer_email"],
        signer_phone=data["signer_phone"],
        consent_contact=True,
        message=data["message"],
    )
    return cosigning.signature_submit(
        statement=statement,
        cosign=cosign,
        consent_text=CosignForm.consent_words(consent_contact=True),
    )


def confirm_token(signature: Signature) -> str:
    """A confirmation link's token for the signature, as its email would carry."""
    raw, hashed = token_new()
    SignatureToken.objects.create(
        signature=signature,
        purpose=SignatureToken.Purpose.CONFIRM,
        token_hash=hashed,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return raw


def confirmed(statement: Statement, **overrides) -> Signature:
    """A signature submitted and confirmed through the co-signing services, as the
    signer's click on the emailed link would: a new organization is made then."""
    signature = submitted(statement, **overrides)
    cosigning.signature_confirm(token=confirm_token(signature))
    signature.refresh_from_db()
    return signature


def image_bytes(fmt: str = "PNG", size=(64, 64), mode="RGB") -> bytes:
    """A small valid image file, a logo say."""
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG file that announces width by height pixels and holds none: a decompression
    bomb's header, which is all a check that does not decode needs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


# Press


def make_journalists(count: int, press_list: PressList | None = None) -> list[Contact]:
    """Contacts at one new media outlet, j0@news.example.org and on, on the list if given."""
    outlet = make_organization(kind=Organization.Kind.MEDIA)
    contacts = Contact.objects.bulk_create(
        Contact(organization=outlet, name=f"Journalist {i}", email=f"j{i}@news.example.org")
        for i in range(count)
    )
    if press_list:
        press_list.contacts.add(*contacts)
    return contacts


def make_distribution(statement=None, *, lists=(), contacts=(), **fields) -> Distribution:
    """A distribution not confirmed yet, of a new published statement unless given one."""
    statement = statement or make_statement(status=Statement.Status.PUBLISHED)
    distribution = Distribution.objects.create(
        statement=statement, subject=fields.pop("subject", "Joint statement"), **fields
    )
    distribution.press_lists.add(*lists)
    distribution.contacts.add(*contacts)
    return distribution
