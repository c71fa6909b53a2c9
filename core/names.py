"""Names people type: cleaned before they are stored, and compared by how they look.

A name can hide characters no one sees (a zero-width space, a right-to-left
override that turns "gro.elpmaxe" into "example.org" on screen) and letters of
another script that look the same (Cyrillic "\u0430" for Latin "a"). name_clean()
removes the first; name_key() gives two names that look alike the same key.
"""

import string
import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

# Unicode's "format" (Cf) characters: zero-width spaces and joiners, the direction
# marks, embeddings, overrides and isolates, the soft hyphen.
FORMAT = "Cf"


def name_clean(text: str) -> str:
    """The name in compatibility form (NFKC), without format or control characters,
    its spaces collapsed: what we store and show."""
    text = unicodedata.normalize("NFKC", text)
    kept = (c for c in text if c.isspace() or unicodedata.category(c) not in (FORMAT, "Cc"))
    return " ".join("".join(kept).split())


def has_hidden_characters(text: str) -> bool:
    """Whether the text holds a format character (invisible, or one that reorders text)."""
    return any(unicodedata.category(c) == FORMAT for c in text)


@cache
def _look_alikes() -> dict[str, str]:
    """Each character that looks like others, mapped to one of them, the same for all.

    The pairs are Unicode's confusables (UTS #39), as confusable-homoglyphs ships
    them; joined with the upper and lower case of each Latin letter, so that the
    key ignores case too. Look-alikes of several characters ("rn" for "m") are
    left out.
    """
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    def join(a: str, b: str) -> None:
        a, b = root(a), root(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for char, homoglyphs in confusables_data.items():
        for homoglyph in homoglyphs:
            # The data marks right-to-left homoglyphs with direction marks around them.
            other = "".join(c for c in homoglyph["c"] if unicodedata.category(c) != FORMAT)
            if len(char) == 1 and len(other) == 1:
                join(char, other)
    for upper in string.ascii_uppercase:
        join(upper, upper.lower())
    return {c: root(c) for c in parent}


def name_key(text: str) -> str:
    """What a name looks like: the same for "Amnesty", "AMNESTY", "\u0410mnesty" (a
    Cyrillic A) and "Amnesty\u200b"; like Unicode's skeleton (UTS #39), ignoring case.

    A key, never shown: "International" and "lnternational" (a small L) share one.
    """
    look_alikes = _look_alikes()
    decomposed = unicodedata.normalize("NFD", name_clean(text))
    return "".join(look_alikes.get(c, c) for c in decomposed).lower()


# Articles an organization's name may start with that alphabetical lists pass over.
LEADING_ARTICLES = ("the ",)


def organization_sort_name(name: str) -> str:
    """The name an organization is alphabetized under: "Syria Campaign" for
    "The Syria Campaign"."""
    lowered = name.casefold()
    for article in LEADING_ARTICLES:
        if lowered.startswith(article) and len(name) > len(article):
            return name[len(article) :].lstrip()
    return name


def family_name_first(name: str) -> str:
    """A person's name as alphabetical lists sort it: by the last word, taken to be the
    family name ("Okafor Amaka" for "Amaka Okafor").

    Names that do not follow the pattern ("Ludwig van Beethoven", a patronymic) get a
    sort key from staff instead.
    """
    words = name_clean(name).split()
    if len(words) < 2:
        return " ".join(words)
    return " ".join([words[-1], *words[:-1]])
