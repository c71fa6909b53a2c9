"""Plain-text emails in a right-to-left language, where <bdi> does not exist."""

from django import template
from django.utils.translation import get_language_bidi

register = template.Library()

FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate


@register.filter(is_safe=True)
def isolate(value) -> str:
    """The value between Unicode isolates when the email is right to left, so an English
    name cannot reorder the Arabic sentence around it, nor, opening a line, make the
    whole line read left to right; unchanged in a left-to-right email."""
    if value in ("", None) or not get_language_bidi():
        return value
    return f"{FSI}{value}{PDI}"
