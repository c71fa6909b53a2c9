"""Word-by-word comparison of two frozen versions of a statement's signable text.

A version's content is the plain dict frozen when the version was made: title,
standfirst, body, demands and their heading, the text after them, quotes, the press
contacts' heading and signatories (a version frozen before a part existed lacks it,
which compares as empty). Signatories approve an exact
version, so when the text changes they are shown what changed, section by section.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Words and the whitespace between them, so spacing and line breaks survive the diff.
_TOKEN = re.compile(r"\s+|\S+")


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _demand(demand: dict) -> str:
    parts = [_text(demand.get("heading")), _text(demand.get("text"))]
    return ": ".join(part for part in parts if part)


def _quote(quote: dict) -> str:
    text = _text(quote.get("text"))
    person = [_text(quote.get(key)) for key in ("person_name", "person_title", "organization")]
    parts = [f"“{text}”" if text else "", ", ".join(part for part in person if part)]
    return " — ".join(part for part in parts if part)


def _organizations(content: dict, role: str) -> str:
    names = [
        _text(signatory.get("organization"))
        for signatory in content.get("signatories") or []
        if signatory.get("role") == role
    ]
    return "; ".join(name for name in names if name)


def _optional(label: str, content: dict, key: str) -> list[tuple[str, str]]:
    # The parts most releases leave empty are listed when they are used, not as
    # a row of nothing on every comparison.
    text = _text(content.get(key))
    return [(label, text)] if text else []


def _text_groups(content: dict) -> list[list[tuple[str, str]]]:
    return [
        [(gettext("Headline"), _text(content.get("title")))],
        [(gettext("Standfirst"), _text(content.get("standfirst")))],
        [(gettext("Body"), _text(content.get("body")))],
        _optional(gettext("Heading of the demands"), content, "demands_heading"),
        [
            (gettext("Demand %(number)s") % {"number": number}, _demand(demand))
            for number, demand in enumerate(content.get("demands") or [], start=1)
        ],
        _optional(gettext("Text after the demands"), content, "closing"),
        [
            (gettext("Quote %(number)s") % {"number": number}, _quote(quote))
            for number, quote in enumerate(content.get("quotes") or [], start=1)
        ],
        _optional(gettext("Heading of the press contacts"), content, "press_contacts_heading"),
    ]


def _section_groups(content: dict) -> list[list[tuple[str, str]]]:
    """The sections in reading order, grouped so that two versions line up group by group.

    The translations of a release come last, each section labelled with its language.
    """
    translations = content.get("translations") or {}
    return [
        *_text_groups(content),
        [(gettext("Issued by"), _organizations(content, "issuer"))],
        [(gettext("Signed by"), _organizations(content, "signatory"))],
        [
            (gettext("%(section)s [%(language)s]") % {"section": label, "language": code}, text)
            for code in sorted(translations)
            for group in _text_groups(translations[code])
            for label, text in group
        ],
    ]


def version_sections(content: dict) -> list[tuple[str, str]]:
    """The content as (label, plain text) pairs in reading order.

    Headline, Standfirst, Body, Issued by and Signed by are always listed, as "" when
    empty, so that two versions line up; the headings of the demands and of the press
    contacts and the text after the demands only when they are not empty; there is
    one "Demand n" and one "Quote n" per demand and quote.
    """
    return [section for group in _section_groups(content) for section in group]


def _labels_in_order(old: dict, new: dict) -> list[str]:
    # Grouping keeps a demand added in the new version among the demands, even
    # when the old version has no demands at all.
    labels = []
    for old_group, new_group in zip(_section_groups(old), _section_groups(new), strict=True):
        old_labels = [label for label, _ in old_group]
        labels += old_labels + [label for label, _ in new_group if label not in old_labels]
    return labels


def _chunks(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[bool, str, str]]:
    """(changed, old text, new text) runs, with lone spaces between changes absorbed.

    Without that, replacing "quick brown" by "slow red" would read as two
    separate changes with an unchanged space between them.
    """
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    chunks = [
        (tag != "equal", "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    merged: list[tuple[bool, str, str]] = []
    for index, (changed, old_text, new_text) in enumerate(chunks):
        # Opcodes alternate, so an unchanged run that is neither first nor last
        # sits between two changes.
        lone_space = not changed and not old_text.strip() and index < len(chunks) - 1
        if merged and merged[-1][0] and (changed or lone_space):
            _, previous_old, previous_new = merged.pop()
            merged.append((True, previous_old + old_text, previous_new + new_text))
        else:
            merged.append((changed, old_text, new_text))
    return merged


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """HTML for the old and the new side: removed words in <del>, added words in <ins>.

    All text is escaped. Whitespace, newlines included, is kept as is, for a
    block styled with white-space: pre-wrap.
    """
    old_html, new_html = [], []
    for changed, old_text, new_text in _chunks(_TOKEN.findall(old), _TOKEN.findall(new)):
        if not changed:
            old_html.append(escape(old_text))
            new_html.append(escape(new_text))
            continue
        if old_text:
            old_html.append(f"<del>{escape(old_text)}</del>")
        if new_text:
            new_html.append(f"<ins>{escape(new_text)}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def versions_compared(old: dict, new: dict) -> list[dict]:
    """One row per section of either version: {"label", "old", "new", "changed"}.

    A section that only one version has is compared with "" on the other side.
    """
    old_texts, new_texts = dict(version_sections(old)), dict(version_sections(new))
    rows = []
    for label in _labels_in_order(old, new):
        old_text, new_text = old_texts.get(label, ""), new_texts.get(label, "")
        old_html, new_html = word_diff(old_text, new_text)
        rows.append(
            {"label": label, "old": old_html, "new": new_html, "changed": old_text != new_text}
        )
    return rows


# A sentence ends at ., !, ? or …, perhaps closed by quotes or brackets, before the next
# one starts: "“Markets are not targets.” — Rana Haddad" stays one.
_SENTENCE_END = re.compile(r"(?<=[.!?…؟])[\"”’»)]*\s+(?=[\w\"“‘«(])")


def _sentences(text: str) -> list[str]:
    """The sentences of each line, their spacing made single."""
    return [
        " ".join(sentence.split())
        for line in text.splitlines()
        for sentence in _SENTENCE_END.split(line.strip())
        if sentence
    ]


def _sentence_diff(old: str, new: str) -> list[str]:
    """The changed sentences, "- " old and "+ " new, with the sentence before and after
    each change as context ("  "); "  …" stands for the sentences left out."""
    old_sentences, new_sentences = _sentences(old), _sentences(new)
    matcher = SequenceMatcher(None, old_sentences, new_sentences, autojunk=False)
    groups = list(matcher.get_grouped_opcodes(1))
    if not groups:
        return ["  (only the spacing or the line breaks changed)"]
    lines = []
    for number, group in enumerate(groups):
        if group[0][1] > 0 or number > 0:
            lines.append("  …")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [f"  {sentence}" for sentence in old_sentences[i1:i2]]
                continue
            lines += [f"- {sentence}" for sentence in old_sentences[i1:i2]]
            lines += [f"+ {sentence}" for sentence in new_sentences[j1:j2]]
    if groups[-1][-1][2] < len(old_sentences):
        lines.append("  …")
    return lines


def diff_text(old: dict, new: dict) -> str:
    """The changed sections as plain text for an email, or "" when nothing changed.

    Each section is its label, then its changed sentences, "- " and the old one, "+ " and
    the new one, with a sentence of unchanged context either side ("  ") and "  …" for the
    sentences left out; a section only one version has is all "-" or all "+".
    """
    old_texts, new_texts = dict(version_sections(old)), dict(version_sections(new))
    sections = []
    for label in _labels_in_order(old, new):
        old_text, new_text = old_texts.get(label, ""), new_texts.get(label, "")
        if old_text == new_text:
            continue
        sections.append("\n".join([f"{label}:", *_sentence_diff(old_text, new_text)]))
    return "\n\n".join(sections)
