"""Reading a finished release (text, Markdown, pasted HTML, .docx, .odt) into its parts.

Parsing only: nothing here writes to the database. `release_parse` is the entry point;
the admin's import page and `manage.py import_release` both use it.
"""

from .parsing import release_parse

__all__ = ["release_parse"]
