"""Statement bodies are Markdown, rendered to HTML that is safe to show as is.

markdown-it escapes raw HTML and refuses unsafe link schemes; nh3 then keeps
only the tags and attributes a statement needs, so nothing a staff member types
can run in a reader's browser. Bullets pasted from a word processor ("• ") are
read as Markdown list items.
"""

import re

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


# Word processors and emails paste a list as lines starting with a bullet character,
# which Markdown does not know: such a line becomes a "- " item, a hollow bullet an
# item of the list above it. Only at a line's start, so a "•" inside a sentence stays.
_BULLET = re.compile(r"^[ \t]*(?:([•●▪■‣])|([◦○▫□]))[ \t]+", re.MULTILINE)


def _bullet_item(match: re.Match) -> str:
    return "- " if match[1] else "  - "


def bullets_as_lists(text: str) -> str:
    """The text with pasted bullet characters turned into Markdown list items."""
    return _BULLET.sub(_bullet_item, text)


def render_markdown(text: str) -> str:
    html = _parser.render(bullets_as_lists(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
