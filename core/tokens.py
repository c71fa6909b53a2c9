"""Secrets for emailed links: 256 random bits, of which the database keeps only a hash.

The raw token exists only in the email that carries it. Being random rather
than a password, a plain SHA-256 is enough to make a stolen database useless
for acting on links.
"""

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store."""
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
