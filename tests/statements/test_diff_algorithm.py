"""The word diff's way of lining up long texts (statements/diff.py, issue 18) against
SequenceMatcher over the whole of both texts, the code before it.

Each case runs twice: as it is, and with the length under which SequenceMatcher takes
the whole text set to 0, so that short texts go through the path long ones take.
"""

import random
from difflib import SequenceMatcher

import pytest

from statements import diff


@pytest.fixture(params=["as it is", "long path"])
def short(request, monkeypatch):
    if request.param == "long path":
        monkeypatch.setattr(diff, "_SHORT", 0)


def old_word_diff(old: str, new: str, monkeypatch) -> tuple[str, str]:
    with monkeypatch.context() as patch:
        patch.setattr(
            diff,
            "_opcodes",
            lambda a, b: SequenceMatcher(None, a, b, autojunk=False).get_opcodes(),
        )
        return diff.word_diff(old, new)


def paragraphs(seed: int, count: int = 12) -> list[str]:
    rng = random.Random(seed)
    words = ["the", "of", "and", "aid", "border", "families", "winter", "crossings"]
    words += [f"word{n}" for n in range(300)]
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(10, 30))).capitalize() + "."
        for _ in range(count)
    ]


BODY = "\n\n".join(paragraphs(18))
ARABIC = "\n\n".join(
    [
        "نطالب بوقف فوري لإطلاق النار في جميع المناطق.",
        "يجب فتح المعابر أمام المساعدات الإنسانية دون قيود.",
        "ندعو إلى تحقيق مستقل في الهجمات على المستشفيات والمدارس.",
    ]
)

CASES = {
    "both empty": ("", ""),
    "old empty": ("", BODY),
    "new empty": (BODY, ""),
    "identical": (BODY, BODY),
    "every word changed": (BODY, BODY.upper()),
    "a change at the very start": (BODY, "Now " + BODY[BODY.index(" ") + 1 :]),
    "a change at the very end": (BODY, BODY[:-1] + ", now."),
    "a word added": (BODY, BODY.replace(" aid ", " aid and food ", 1)),
    "a word removed": (BODY, BODY.replace(" border", "", 1)),
    "a paragraph removed": (BODY, BODY.replace(paragraphs(18)[5] + "\n\n", "")),
    "a paragraph break added": (BODY, BODY.replace(". ", ".\n\n", 1)),
    "Arabic": (ARABIC, ARABIC.replace("فوري", "دائم").replace("دون قيود", "فورا")),
}


@pytest.mark.parametrize("case", CASES)
def test_it_shows_the_changes_the_old_comparison_shows(case, short, monkeypatch):
    old, new = CASES[case]

    assert diff.word_diff(old, new) == old_word_diff(old, new, monkeypatch)


@pytest.mark.parametrize("seed", range(20))
def test_it_agrees_with_the_old_comparison_on_scattered_changes(seed, short, monkeypatch):
    rng = random.Random(seed)
    old_paragraphs = paragraphs(seed)
    new_paragraphs = list(old_paragraphs)
    for _ in range(4):
        index = rng.randrange(len(new_paragraphs))
        words = new_paragraphs[index].split(" ")
        where = rng.randrange(len(words))
        choice = rng.randrange(3)
        if choice == 0:
            words[where] = "changed"
        elif choice == 1:
            words[where:where] = ["two", "added"]
        elif len(words) > 1:
            del words[where]
        new_paragraphs[index] = " ".join(words)
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)

    assert diff.word_diff(old, new) == old_word_diff(old, new, monkeypatch)


def test_a_moved_paragraph_is_removed_in_one_place_and_added_in_the_other(short):
    moved = paragraphs(18)
    old = "\n\n".join(moved)
    new = "\n\n".join([*moved[:2], *moved[3:], moved[2]])

    old_html, new_html = diff.word_diff(old, new)

    assert old_html.count("<del>") == 1 and "<ins>" not in old_html
    assert new_html.count("<ins>") == 1 and "<del>" not in new_html
    assert moved[2] in old_html[old_html.index("<del>") :]
    assert moved[2] in new_html[new_html.index("<ins>") :]


def test_a_rewritten_text_keeps_what_it_shares_the_same_on_both_sides(short):
    # Here patience and SequenceMatcher may line up different shared words: both
    # read right as long as the unchanged words are the same on both sides.
    old, new = "\n\n".join(paragraphs(1)), "\n\n".join(paragraphs(2))

    old_html, new_html = diff.word_diff(old, new)

    def without(html: str, tag: str) -> str:
        while f"<{tag}>" in html:
            start = html.index(f"<{tag}>")
            html = html[:start] + html[html.index(f"</{tag}>", start) + len(tag) + 3 :]
        return html

    assert without(old_html, "del") == without(new_html, "ins")


def test_text_with_nothing_distinctive_in_common_is_one_change_between_what_is_shared(
    monkeypatch,
):
    monkeypatch.setattr(diff, "_SHORT", 0)
    old = "We act. " * 6
    new = "We act. " * 2 + "We do. " + "We act. " * 2 + "Now " + "We act. " * 2

    old_html, new_html = diff.word_diff(old, new)

    assert old_html.startswith("We act. We act. We ") and old_html.endswith("We act. We act. ")
    assert new_html.startswith("We act. We act. We ") and new_html.endswith("We act. We act. ")


def test_the_grouped_changes_are_those_of_sequence_matcher():
    old = [f"s{n}" for n in range(30)]
    new = [*old[:3], "x", *old[3:10], *old[12:20], "y", *old[21:]]

    for context in (0, 1, 3):
        expected = list(
            SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context)
        )
        assert diff._grouped_opcodes(diff._opcodes(old, new), context) == expected
    assert diff._grouped_opcodes(diff._opcodes(old, old), 1) == []
