"""Shared bits of the co-signing tests."""

import io

from PIL import Image

from statements.models import Signature, Statement
from statements.services import cosigning
from tests.factories import make_statement


def make_open_statement(**fields) -> Statement:
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


def cosign(**overrides) -> cosigning.Cosign:
    data = cosign_data(**overrides)
    return cosigning.Cosign(
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


def image_bytes(fmt: str = "PNG", size=(64, 64), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def submitted(statement: Statement, **overrides) -> Signature:
    return cosigning.signature_submit(statement=statement, cosign=cosign(**overrides))
