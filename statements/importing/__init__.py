"""PLACEHOLDER for the importer branch (i13-importer) only: the parser branch (i13-parser)
provides the real statements.importing; drop this file at the merge."""

from django.core.exceptions import ValidationError


def release_parse(*, text: str | None = None, upload=None) -> dict:
    raise ValidationError("The release parser is not merged yet.", code="no_parser")
