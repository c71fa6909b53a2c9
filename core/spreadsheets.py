"""Writing what people open in a spreadsheet."""

import unicodedata

# What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    # Spreadsheets read the full-width and small forms of these signs (U+FF1D, U+FE62 …)
    # as the ASCII ones.
    first = unicodedata.normalize("NFKC", text[:1])[:1]
    return "'" + text if first and first in FORMULA_STARTS else text
