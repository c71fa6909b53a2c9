"""How many signed, in words, for the templates that print a statement's list."""

from django import template

from statements.counts import signed_by_text

register = template.Library()


@register.filter
def signed_by(counts: dict) -> str:
    """ "Signed by 47 organizations and 312 individuals", in the active language."""
    return signed_by_text(counts)
