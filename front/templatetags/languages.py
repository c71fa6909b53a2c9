"""The language switcher, the alternates of a statement's release, and each language's name."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html

from core import languages

register = template.Library()

NAMES = dict(languages.LANGUAGES)


@register.filter
def language_name(code: str) -> str:
    """A language named in itself ("العربية", "English"), as its readers look for it."""
    return NAMES.get(code, code)


@register.filter
def direction(code: str) -> str:
    return languages.direction(code)


@register.simple_tag(takes_context=True)
def language_switch(context) -> list[dict]:
    """A link to this page in each other interface language.

    A statement's page passes `release_links` (language -> the address of the release's
    public statement in it): there the switch leads to the translation; in a language
    the release lacks, to the same statement with the interface in that language.
    """
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    release_links = context.get("release_links") or {}
    links = []
    here = _this_page(request)
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        href = release_links.get(code) or translate_url(here, code)
        links.append({"code": code, "name": language_name(code), "href": href})
    return links


def _this_page(request) -> str:
    """The page's address with its query string, or, on a page served to every visitor
    from the cache (core.pagecache), with only the parameters that choose what it shows."""
    params = getattr(request, "page_params", None)
    if params is None:
        return request.get_full_path()
    query = urlencode([(name, request.GET[name]) for name in params if request.GET.get(name)])
    path = escape_uri_path(request.path)
    return f"{path}?{query}" if query else path


@register.simple_tag
def interface_lang(language: str, with_direction: bool = True) -> str:
    """lang and dir for the interface's words inside text written in `language` (an
    English label in an Arabic statement's article), or nothing when they agree.
    Without direction for an element that sets its own (dir="auto" on a date)."""
    current = translation.get_language()
    if current == language:
        return ""
    if not with_direction:
        return format_html(' lang="{}"', current)
    return format_html(' lang="{}" dir="{}"', current, languages.direction(current))
