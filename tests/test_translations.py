"""The catalogue checks: every marked string has its Arabic, the catalogues are in step
with the code, and no English a reader sees on an Arabic page escaped marking.

A failure names what to do: run `make messages` and translate what it adds in
locale/ar/LC_MESSAGES/django.po (or djangojs.po), or mark the English string it lists.
"""

import datetime
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from campaigns.models import CallToAction
from statements.models import Demand, PressContact, Quote, RelatedLink, Signature, Statement
from statements.selectors import statement_context
from tests.factories import (
    make_call_to_action,
    make_campaign,
    make_contact,
    make_organization,
    make_signatures,
    make_statement,
)

ROOT = Path(settings.BASE_DIR)
LOCALES = ROOT / "locale"
DOMAINS = ["django", "djangojs"]
# The languages the interface speaks besides English, the source.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
CATALOGUES = [LOCALES / code / "LC_MESSAGES" / f"{d}.po" for code in TRANSLATED for d in DOMAINS]


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r} ({', '.join(f for f, _line in entry.occurrences)})"


@pytest.fixture(scope="module", params=CATALOGUES, ids=catalogue_id)
def catalogue(request) -> polib.POFile:
    assert request.param.exists(), f"{catalogue_id(request.param)} is missing: run make messages"
    return polib.pofile(str(request.param))


@pytest.fixture(autouse=True)
def _interface_in_english_again():
    """The Arabic pages leave Arabic active in the test's thread; the next tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Complete and not fuzzy.


def test_every_string_has_a_translation(catalogue):
    missing = []
    for entry in catalogue:
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        nplurals = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"])[1])
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals:
            missing.append(f"{label(entry)}: {len(entry.msgstr_plural)} of {nplurals} forms")
        elif not all(form.strip() for form in forms):
            missing.append(label(entry))
    assert not missing, "Untranslated in " + catalogue.fpath + ":\n" + "\n".join(missing)


def test_no_translation_is_fuzzy_or_obsolete(catalogue):
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"
    fuzzy = [label(e) for e in catalogue.fuzzy_entries()]
    assert not fuzzy, "Fuzzy (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    obsolete = [repr(e.msgid) for e in catalogue.obsolete_entries()]
    assert not obsolete, "Obsolete (#~, no longer in the code): remove them:\n" + "\n".join(
        obsolete
    )


# Placeholders, and the markup around them, as in the English.

PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]?\d*(?:\.\d+)?[sdifr%]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
# The number a plural form is chosen by: a language may spell it out in the forms
# for one or two ("منظمة واحدة", "منظمتان") rather than print it.
COUNTERS = {"count", "counter", "n"}


def placeholders(text: str, flags: list[str]) -> list[str]:
    if "python-format" in flags:
        return sorted(name or "%" for name in PYTHON_FORMAT.findall(text) if name != "%")
    if "python-brace-format" in flags:
        return sorted(BRACE_FORMAT.findall(text))
    return []


def test_translations_keep_the_placeholders_and_markup(catalogue):
    wrong = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural, entry.flags)
            forms = list(entry.msgstr_plural.values())
        else:
            expected = placeholders(entry.msgid, entry.flags)
            forms = [entry.msgstr]
        tags = sorted(TAG.findall(entry.msgid))
        for form in forms:
            found = placeholders(form, entry.flags)
            needed = (
                expected
                if not entry.msgid_plural
                else sorted(name for name in expected if name not in COUNTERS or name in found)
            )
            if found != needed or not set(found) <= set(expected):
                wrong.append(f"{label(entry)}: {found} in {form!r}, expected {expected}")
            if sorted(TAG.findall(form)) != tags:
                wrong.append(f"{label(entry)}: the markup differs in {form!r}")
    assert not wrong, "\n".join(wrong)


# In step with the code: a string marked and not collected fails here.


def collected(directory: Path, domain: str) -> set[tuple[str | None, str]]:
    po = polib.pofile(str(directory / "locale" / "ar" / "LC_MESSAGES" / f"{domain}.po"))
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """makemessages run as `make messages` does, on a copy of the project's files."""
    copy = tmp_path_factory.mktemp("project")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith(("tests/", "bench/", "static/vendor/")):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / name)
    ignores = ["-i", "tests", "-i", "bench", "-i", "static/vendor"]
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "ar", "-d", domain, *ignores],
            cwd=copy,
            env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "JOINTLY_VAR_DIR": str(copy / "var")},
            capture_output=True,
            check=True,
        )
    return copy


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_holds_every_string_the_code_marks(fresh_catalogues, domain):
    in_code = collected(fresh_catalogues, domain)
    in_catalogue = collected(ROOT, domain)
    new = sorted(in_code - in_catalogue, key=str)
    gone = sorted(in_catalogue - in_code, key=str)
    assert not new, (
        f"Marked in the code, missing from {domain}.po: run make messages and translate\n"
        + "\n".join(map(repr, new))
    )
    assert not gone, f"In {domain}.po, no longer in the code: run make messages\n" + "\n".join(
        map(repr, gone)
    )


# No unmarked English on an Arabic page.

# Names that stay in Latin letters in Arabic text: ours, formats, the time zone's
# abbreviation and the networks'.
ALLOWED_WORDS = {
    "Jointly", "RSS", "Atom", "PDF", "UTC", "PNG", "JPEG", "WebP", "SVG",
    "X", "Facebook", "LinkedIn", "WhatsApp", "Telegram", "Bluesky",
}  # fmt: skip
URL_OR_EMAIL = re.compile(r"\S+@\S+|(?:https?://|mailto:|tel:|www\.)\S+|\S+\.(?:org|com|net)\S*")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
HIDDEN_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class ArabicTextParser(HTMLParser):
    """The text a reader of an Arabic page sees as Arabic: outside any element whose
    lang is another language, any <bdi> and any element set left to right (names,
    addresses), with the attributes that are read out or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is checked)
        self.texts: list[str] = []

    def checked(self) -> bool:
        return not self.stack or self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        checked = self.checked()
        if lang is not None:
            checked = lang == "ar"
        if tag == "bdi" or tag in HIDDEN_ELEMENTS or attributes.get("dir") == "ltr":
            checked = False
        # The <title> repeats the page's heading, which is checked; a choice in a list
        # (an organization, a year) is data, and only its empty "All …" is interface.
        if tag == "head" or (tag == "option" and attributes.get("value")):
            checked = False
        if checked:
            self.texts += [v for k, v in attributes.items() if k in VISIBLE_ATTRIBUTES and v]
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, checked))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if self.checked():
            self.texts.append(data)


def english_words(html: str) -> list[str]:
    """Latin-script words a reader of this Arabic page sees, each with its context."""
    parser = ArabicTextParser()
    parser.feed(html)
    found = []
    for text in parser.texts:
        text = " ".join(URL_OR_EMAIL.sub(" ", text).split())
        words = [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS]
        if words:
            found.append(f"{' '.join(words)!r} in {text[:120]!r}")
    return found


def test_the_check_finds_an_unmarked_string_and_spares_isolated_names():
    html = (
        '<html lang="ar"><head><title>بيان · Jointly</title></head><body>'
        "<h2>Our demands</h2><p>صادر عن <bdi>Syrian Civil Defence</bdi></p>"
        '<article lang="en"><p>Stop the shelling.</p><h2 lang="ar">Issued by</h2></article>'
        '<a href="mailto:a@b.org" dir="ltr">a@b.org</a><p>راسلونا: press@example.org</p>'
        '<input type="submit" value="Send"><img alt="Logo of">'
        "</body></html>"
    )
    assert english_words(html) == [
        "'Our demands' in 'Our demands'",
        "'Issued by' in 'Issued by'",
        "'Send' in 'Send'",
        "'Logo of' in 'Logo of'",
    ]


ARABIC_BODY = "نطالب بوقف فوري لإطلاق النار وحماية المدنيين."


@pytest.fixture
def arabic_site(db, settings):
    """Every part a reader can see, written in Arabic, around English names in <bdi>."""
    settings.SITE_URL = "https://jointly.example.org"
    campaign = make_campaign(title="احموا المدنيين", slug="hemaya", summary="حملة من أجل المدنيين")
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        language="ar",
        title="أوقفوا القصف",
        slug="awqifu",
        standfirst="ثماني منظمات تتحدث بصوت واحد.",
        dateline="بيروت",
        body=ARABIC_BODY,
        campaign=campaign,
        cosign_open=True,
        cosign_closes_at=timezone.now() + datetime.timedelta(days=3),
        hero_credit="الدفاع المدني",
    )
    Demand.objects.create(statement=statement, heading="وقف إطلاق النار", text="الآن.")
    issuer = make_organization(name="Syrian Civil Defence", short_name="SCD", slug="scd")
    Signature.objects.create(statement=statement, organization=issuer, role=Signature.Role.ISSUER)
    make_signatures(statement, 3)
    Quote.objects.create(statement=statement, text="الأسواق ليست أهدافًا.", person_name="Rana")
    contact = make_contact(
        organization=issuer, name="Sam", email="press@scd.example.org", phone="+961 1 000"
    )
    PressContact.objects.create(statement=statement, contact=contact)
    RelatedLink.objects.create(statement=statement, title="تقرير سابق", url="https://example.org")
    make_call_to_action(
        campaign=campaign,
        kind=CallToAction.Kind.CONTACT,
        title="راسلوا الوزير",
        description="يستغرق ذلك دقيقتين.",
        target_name="Ana Ruiz",
        target_email="minister@example.org",
        message_subject="احموا المدنيين",
        message_body="حضرة الوزير،",
        url="",
    )
    make_call_to_action(
        campaign=campaign, kind=CallToAction.Kind.DONATE, title="تبرعوا",
        button_label="تبرعوا الآن", url="https://example.org/give",
    )  # fmt: skip
    for status, title, slug in [
        (Statement.Status.ARCHIVED, "قديم", "qadim"),
        (Statement.Status.RETRACTED, "مسحوب", "mas"),
    ]:
        make_statement(status=status, language="ar", title=title, slug=slug, body=ARABIC_BODY)
    Statement.objects.filter(slug="mas").update(retraction_note="نُشر خطأً.")
    # An English statement, shown in English inside the Arabic interface.
    make_statement(status=Statement.Status.PUBLISHED, title="In English", slug="english")
    return statement


PAGES = {
    "home": "/ar/",
    "list": "/ar/statements/",
    "list, filtered by a year with none": "/ar/statements/?year=1999",
    "search with results": "/ar/search/?q=القصف",
    "search, too long": "/ar/search/?q=" + "ق" * 201,
    "statement with all parts": "/ar/statements/awqifu/",
    "statement in English": "/ar/statements/english/",
    "archived statement": "/ar/statements/qadim/",
    "retracted statement": "/ar/statements/mas/",
    "campaign": "/ar/campaigns/hemaya/",
    "organization": "/ar/organizations/scd/",
    "co-sign form": "/ar/statements/awqifu/sign/",
    "404": "/ar/no-such-page/",
    "embed": "/ar/statements/awqifu/embed/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_an_arabic_page_shows_no_unmarked_english(client, arabic_site, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404), response.status_code
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    words = english_words(html)
    assert not words, f"English on {path}: mark these strings and translate them\n" + "\n".join(
        words
    )


def test_the_arabic_pdf_shows_no_unmarked_english(arabic_site):
    statement = Statement.objects.select_related("corrected_by").get(slug="awqifu")
    context = statement_context(statement) | {"page_url": "https://jointly.example.org/"}
    with translation.override("ar"):
        html = render_to_string("front/statement_pdf.html", context)
    assert '<html lang="ar" dir="rtl">' in html
    words = english_words(html)
    assert not words, "English in the PDF: mark these strings\n" + "\n".join(words)
