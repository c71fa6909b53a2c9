"""The card partner websites embed: its iframe code, shown to staff in the statement's
admin and given to oEmbed consumers by the public site."""

from django.utils.html import format_html

from core.links import absolute_reverse
from statements.models import Statement

# The card is laid out for this size and shrinks to a narrower frame.
EMBED_WIDTH = 560
EMBED_HEIGHT = 260


def embed_code(statement: Statement, *, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT):
    """The <iframe> a partner pastes into a page; no script, and no style attribute for
    the partner's own Content Security Policy to refuse."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy"></iframe>',
        absolute_reverse("statement_embed", statement.slug),
        width,
        height,
        f"Statement: {statement.title}",
    )
