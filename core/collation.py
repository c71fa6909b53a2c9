"""Names in the order readers of a language expect: by that language's Unicode
collation, not by code points ("Émile" beside "Eric", not after "Zoe"; Arabic letters
in the order of the Arabic alphabet, hamza forms beside their letter).

PostgreSQL sorts with the ICU collations it builds at initdb ("fr-x-icu"); SQLite, the
embedded default, knows none, so each of its connections gets UCA_COLLATION, which
compares by the Unicode Collation Algorithm's default table (pyuca): right for every
language, without their tailorings.
"""

from functools import lru_cache

from django.db import connection
from django.db.models.functions import Collate
from pyuca import Collator

UCA_COLLATION = "jointly_uca"
# The statement languages (core.languages) whose ICU collation PostgreSQL carries;
# any other sorts by ICU's root collation.
ICU_LANGUAGES = {"en", "ar", "fr", "es", "de", "tr", "ku"}


def collation_name(language: str) -> str:
    if connection.vendor != "postgresql":
        return UCA_COLLATION
    return f"{language}-x-icu" if language in ICU_LANGUAGES else "und-x-icu"


def collated(expression, language: str) -> Collate:
    """The expression, to be ordered by the collation of `language`."""
    return Collate(expression, collation_name(language))


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()


@lru_cache(maxsize=50_000)
def _key(text: str) -> tuple:
    return _collator().sort_key(text)


def _compare(a: str, b: str) -> int:
    key_a, key_b = _key(a), _key(b)
    return (key_a > key_b) - (key_a < key_b)


def sqlite_collation_register(sender, connection, **kwargs) -> None:
    """connection_created's receiver: give a new SQLite connection UCA_COLLATION."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(UCA_COLLATION, _compare)


def sort_key(text: str) -> tuple:
    """The key that sorts texts as UCA_COLLATION does, for lists sorted in Python."""
    return _key(text)
