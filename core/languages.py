"""The languages statements are written in, and which of them the interface speaks.

A statement may be in any of LANGUAGES; the interface speaks settings.LANGUAGES, the
languages with a complete catalogue in locale/. A page about a statement in another
language (French, say) speaks the default language around the statement's own text.
"""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

# Each language named in itself, for the people who read it, then in the interface's.
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("tr", "Türkçe"),
    ("ku", "Kurdî"),
]
RTL_LANGUAGES = {"ar"}

# Each language's English name, as spreadsheets write it.
ENGLISH_NAMES = {
    "en": "English",
    "ar": "Arabic",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "tr": "Turkish",
    "ku": "Kurdish",
}
# The names people write in spreadsheets and forms, for the import: in English, in
# the language itself, and the code.
LANGUAGE_ALIASES = {
    **{name.casefold(): code for code, name in ENGLISH_NAMES.items()},
    **{name.casefold(): code for code, name in LANGUAGES},
    **{code: code for code, _name in LANGUAGES},
}


def direction(code: str) -> str:
    """The direction of text in this language: "rtl" or "ltr"."""
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def interface_language(code: str) -> str:
    """The interface language closest to `code`: itself when the interface speaks it."""
    spoken = {c for c, _name in settings.LANGUAGES}
    return code if code in spoken else settings.LANGUAGE_CODE


def language_code(raw: str) -> str:
    """The code of a language as people write it ("Arabic", "العربية", "ar"), or ""."""
    return LANGUAGE_ALIASES.get(raw.strip().casefold(), "")


def browser_language(request) -> str:
    """The interface language the browser's Accept-Language asks for first, or the
    default; unlike Django's get_language_from_request, never the language cookie, so
    that a cache keeping one answer per Accept-Language keeps the right one."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
