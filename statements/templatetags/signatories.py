"""How many signed, in words, for templates: the phrases of statements.counts, never
spelt again here."""

from html import escape

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


# The lines of a list of signatories are written here rather than in a template loop:
# a statement signed by hundreds renders hundreds of them on every uncached visit, and
# the template engine's variable lookups and an include per line cost several times the
# rest of the page. The HTML is the same as the templates' of before, byte for byte.
# The values are plain strings, escaped with the standard library's html.escape: the
# same characters as Django's escape(), without its lazy-string wrapper, which cost as
# much as the escaping itself on a list of hundreds.
JOINED_ON = 'joined on <time datetime="%(iso)s">%(date)s</time>'


def _joined_on(signatory, ui: str) -> str:
    """ "— joined on 3 December 2026" after the name of one who signed after publication."""
    if not signatory.joined_on:
        return ""
    # The phrase the templates translate, in the page's language (the statement's own
    # interface language when `ui` says so).
    text = gettext(JOINED_ON) % {
        "iso": conditional_escape(date_format(signatory.joined_on, "Y-m-d")),
        "date": conditional_escape(date_format(signatory.joined_on, "j F Y")),
    }
    return f' <span class="joined-on text-body-secondary"{ui}>— {text}</span>'


@register.simple_tag(takes_context=True)
def organization_rows(context, signatories, numbered=False, acronyms=False, details=False):
    """The <li> of each organization: its number, linked name, acronym and country."""
    ui = conditional_escape(context.get("ui", ""))
    lines = []
    for s in signatories:
        number = f' value="{s.number}"' if numbered and s.number else ""
        short = f" (<bdi>{escape(s.short_name)}</bdi>)" if acronyms and s.short_name else ""
        country = f", <bdi>{escape(s.country)}</bdi>" if details and s.country else ""
        lines.append(
            f'\n  <li class="signatory"{number}><a class="signatory-name" href="{escape(s.url)}">'
            f"<bdi>{escape(s.name)}</bdi></a>{short}{country}{_joined_on(s, ui)}</li>\n  "
        )
    return mark_safe("".join(lines))  # every value above is escaped


@register.simple_tag(takes_context=True)
def individual_rows(context, individuals, details=False):
    """The <li> of each individual: a name, a title and an affiliation; no link, no logo,
    never an address."""
    ui = conditional_escape(context.get("ui", ""))
    lines = []
    for s in individuals:
        number = f' value="{s.number}"' if s.number else ""
        title = f", <bdi>{escape(s.title)}</bdi>" if s.title else ""
        affiliation = f", <bdi>{escape(s.affiliation)}</bdi>" if s.affiliation else ""
        country = f", <bdi>{escape(s.country)}</bdi>" if details and s.country else ""
        lines.append(
            f'\n  <li class="signatory individual"{number}><bdi class="signatory-name">'
            f"{escape(s.name)}</bdi>{title}{affiliation}{country}{_joined_on(s, ui)}</li>\n"
        )
    return mark_safe("".join(lines))  # every value above is escaped
