"""The language switcher, the alternates of a statement's release, and each language's name."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

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
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        href = release_links.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": language_name(code), "href": href})
    return links
