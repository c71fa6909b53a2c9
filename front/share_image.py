"""A statement's share image: the 1200 by 630 card social networks show with its link.

The card's address carries a fingerprint of everything drawn on it, so the address
changes when the headline or the number of organizations or individuals who signed
does and networks fetch the new card; the bytes behind one fingerprint never change,
so they are drawn once, kept in the cache and served with a long lifetime.
"""

import hashlib
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Self

from django.core.cache import cache as django_cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from core.languages import direction
from statements.counts import signed_by_text
from statements.models import Statement

WIDTH, HEIGHT = 1200, 630
SITE_NAME = "Jointly"
# Part of every fingerprint: bump it when the drawing changes, so that every card
# gets a new address and is drawn again.
DESIGN_VERSION = 3
CACHE_SECONDS = 30 * 24 * 60 * 60

FONTS = Path(__file__).resolve().parent / "fonts"
MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
HEADLINE_TOP, HEADLINE_BOTTOM = 150, 480
# Largest first: a short headline fills the card, a long one shrinks before it is cut.
HEADLINE_SIZES = (80, 68, 60, 52, 46, 40)
LINE_SPACING = 1.25
ELLIPSIS = "…"

# The site's colours (static/css/site.css).
INK, ACCENT, KIND, MUTED, RULE = "#1b1f24", "#0b5a8a", "#8a1c1c", "#4a5560", "#dde3e8"


@dataclass(frozen=True)
class ShareCard:
    """What a statement's card shows."""

    kind: str
    headline: str
    date: str
    organizations: int
    individuals: int
    signed_by: str
    language: str
    direction: str
    labels: str  # the language of the kind, date and count

    @property
    def labels_direction(self) -> str:
        return direction(self.labels)

    @classmethod
    def of(cls, statement: Statement, *, counts: dict) -> Self:
        """The card of a statement with this many listed signatories, organizations and
        individuals (issuers not counted: statements.selectors.signatory_counts), its
        labels in the active language (the statement's own, for its page)."""
        kind = str(statement.get_kind_display())
        if statement.is_retracted():
            kind = _("Retracted · %(kind)s") % {"kind": kind}
        return cls(
            kind=kind,
            headline=statement.title,
            date=date_format(statement.release_date, "j F Y") if statement.release_date else "",
            organizations=counts["organizations"],
            individuals=counts["individuals"],
            signed_by=signed_by_text(counts),
            language=statement.language,
            direction=statement.text_direction,
            labels=translation.get_language(),
        )

    @property
    def fingerprint(self) -> str:
        shown = [DESIGN_VERSION, SITE_NAME, self.kind, self.headline, self.date]
        shown += [self.organizations, self.individuals, self.signed_by]
        shown += [self.language, self.direction, self.labels]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:16]

    @property
    def alt(self) -> str:
        """The card in words, for readers who cannot see it."""
        title = _("%(kind)s: %(headline)s") % {"kind": self.kind, "headline": self.headline}
        return ". ".join(filter(None, [title, self.date, self.signed_by]))


def share_image_png(card: ShareCard) -> bytes:
    """The card as PNG bytes, drawn only if the cache does not hold them already."""
    key = f"share-image:{card.fingerprint}"
    png = django_cache.get(key)
    if png is None:
        png = render(card)
        django_cache.set(key, png, CACHE_SECONDS)
    return png


def render(card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    # A right-to-left statement reads from the right edge: its card is mirrored.
    rtl = card.direction == "rtl"
    start, end = (WIDTH - MARGIN, MARGIN) if rtl else (MARGIN, WIDTH - MARGIN)
    start_anchor, end_anchor = ("ra", "la") if rtl else ("la", "ra")

    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    labels = {"direction": card.labels_direction, "language": card.labels}
    draw.text(
        (start, 76),
        card.kind.upper(),
        font=_font(28, bold=True),
        fill=KIND,
        anchor=start_anchor,
        **labels,
    )

    size, lines = _fit_headline(card)
    font = _font(size, bold=True)
    for number, line in enumerate(lines):
        y = HEADLINE_TOP + round(number * size * LINE_SPACING)
        draw.text(
            (start, y),
            line,
            font=font,
            fill=INK,
            anchor=start_anchor,
            direction=card.direction,
            language=card.language,
        )

    draw.line((MARGIN, 510, WIDTH - MARGIN, 510), fill=RULE, width=2)
    footer = " · ".join(filter(None, [card.date, card.signed_by]))
    draw.text((start, 542), footer, font=_font(30), fill=MUTED, anchor=start_anchor, **labels)
    draw.text((end, 540), SITE_NAME, font=_font(32, bold=True), fill=ACCENT, anchor=end_anchor)

    png = io.BytesIO()
    image.save(png, "PNG", optimize=True)
    return png.getvalue()


@cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    # Raqm shapes Arabic letters into their joined forms and lays out right-to-left
    # text (with FriBiDi); Pillow's basic layout would draw them apart and reversed.
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(FONTS / name, size, layout_engine=ImageFont.Layout.RAQM)


def _fit_headline(card: ShareCard) -> tuple[int, list[str]]:
    """The largest size at which the whole headline fits; cut with an ellipsis at the smallest."""
    for size in HEADLINE_SIZES:
        font = _font(size, bold=True)
        room = int((HEADLINE_BOTTOM - HEADLINE_TOP) / (size * LINE_SPACING))
        lines = _wrap(card.headline, _measure(font, card))
        if len(lines) <= room:
            return size, lines
    kept = lines[:room]
    kept[-1] = _ellipsized(kept[-1], _measure(font, card))
    return size, kept


def _measure(font: ImageFont.FreeTypeFont, card: ShareCard):
    return lambda text: font.getlength(text, direction=card.direction, language=card.language)


def _wrap(text: str, measure) -> list[str]:
    """Whole words per line, as many as fit; a word wider than a line is broken."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, measure):
            candidate = f"{line} {piece}" if line else piece
            if line and measure(candidate) > TEXT_WIDTH:
                lines.append(line)
                line = piece
            else:
                line = candidate
    if line:
        lines.append(line)
    return lines


def _pieces(word: str, measure) -> list[str]:
    if measure(word) <= TEXT_WIDTH:
        return [word]
    pieces = [""]
    for character in word:
        if pieces[-1] and measure(pieces[-1] + character) > TEXT_WIDTH:
            pieces.append("")
        pieces[-1] += character
    return pieces


def _ellipsized(line: str, measure) -> str:
    """The line shortened, by words while it has several, until it fits with an ellipsis."""
    while line and measure(line + ELLIPSIS) > TEXT_WIDTH:
        words = line.split()
        line = " ".join(words[:-1]) if len(words) > 1 else line[:-1]
    return line + ELLIPSIS
