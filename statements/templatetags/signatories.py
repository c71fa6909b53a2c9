"""How many signed, in words, for templates: the phrases of statements.counts, never
spelt again here."""

from django import template

from statements.counts import signatory_count_text, signed_by_text

register = template.Library()


@register.filter
def signed_by(counts: dict) -> str:
    """ "Signed by 47 organizations and 312 individuals"; empty when nobody signed."""
    return signed_by_text(counts)


@register.filter
def signatory_count(counts: dict) -> str:
    """ "47 organizations and 312 individuals"."""
    return signatory_count_text(counts)
