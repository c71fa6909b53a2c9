"""What the word diff costs for long texts: statements/diff.py at 1,000, 5,000 and
20,000 words.

Each size is a text of made-up sentences and paragraphs (a fixed seed, a vocabulary
of 3,000 words drawn as in natural language: a few very common, most rare) and the same
text with six changes spread through it: a word replaced, words added, a sentence
removed, a sentence rewritten, a paragraph break added and a word removed. For each
size it prints the median milliseconds of word_diff (the comparison page) and of
diff_text (the emails) over --n runs, the new code and, where it is bearable (1,000
and 5,000 words), the old one, SequenceMatcher over the whole text, with the ratio
new/old; then how the new code grows from 1,000 to 20,000 words. No database.

    .venv/bin/python bench/diff_speed.py [--n 5] [--sizes 1000,5000,20000] [--old 1000,5000]
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path
from unittest import mock

# The site's packages, for Django in this process.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHANGES = 6


def setup_django() -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(size)]


def text(words: int, seed: int = 18) -> list[list[str]]:
    """Paragraphs of sentences, about the given number of words in all."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1 / rank for rank in range(1, len(vocab) + 1)]  # Zipf's law
    paragraphs, count = [], 0
    while count < words:
        paragraph = []
        for _ in range(rng.randint(3, 7)):
            length = rng.randint(8, 25)
            sentence = rng.choices(vocab, weights, k=length)
            paragraph.append(" ".join(sentence).capitalize() + ".")
            count += length
        paragraphs.append(paragraph)
    return paragraphs


def changed(paragraphs: list[list[str]], seed: int = 18) -> list[list[str]]:
    """The same paragraphs with six changes, one in each sixth of the text."""
    rng = random.Random(seed)
    new = [list(paragraph) for paragraph in paragraphs]
    step = max(1, len(new) // CHANGES)
    for change in range(CHANGES):
        paragraph = new[min(change * step + rng.randrange(step), len(new) - 1)]
        where = rng.randrange(len(paragraph))
        words = paragraph[where].split(" ")
        if change == 0:
            words[len(words) // 2] = "replaced"
        elif change == 1:
            words[2:2] = ["three", "added", "words"]
        elif change == 2 and len(paragraph) > 1:
            del paragraph[where]
            continue
        elif change == 3:
            words = ["An", "entirely", "rewritten", "sentence", "stands", "here."]
        elif change == 4:
            words[len(words) // 2] += ".\n\nA"
        else:
            del words[1]
        paragraph[where] = " ".join(words)
    return new


def joined(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)


def content(body: str) -> dict:
    return {"title": "Bench", "body": body}


def old_opcodes(a: list, b: list) -> list:
    """The code before issue 18: SequenceMatcher over the whole of both lists."""
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def median_ms(function, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(words: int, n: int, with_old: bool) -> dict:
    from statements import diff

    paragraphs = text(words)
    old, new = joined(paragraphs), joined(changed(paragraphs))
    figures = {
        "words": len(old.split()),
        "word_diff": median_ms(lambda: diff.word_diff(old, new), n),
        "diff_text": median_ms(lambda: diff.diff_text(content(old), content(new)), n),
    }
    if with_old:
        with mock.patch.object(diff, "_opcodes", old_opcodes):
            # The old code is slow: one run is enough to see it.
            figures["old_word_diff"] = median_ms(lambda: diff.word_diff(old, new), 1)
            figures["old_diff_text"] = median_ms(
                lambda: diff.diff_text(content(old), content(new)), 1
            )
        new_side = diff.word_diff(old, new)
        with mock.patch.object(diff, "_opcodes", old_opcodes):
            figures["same"] = new_side == diff.word_diff(old, new)
    return figures


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="runs of the new code per size")
    parser.add_argument("--sizes", default="1000,5000,20000", help="words, comma-separated")
    parser.add_argument("--old", default="1000,5000", help="sizes the old code also runs at")
    args = parser.parse_args(argv)
    setup_django()
    sizes = [int(size) for size in args.sizes.split(",")]
    old_sizes = {int(size) for size in args.old.split(",") if size}

    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}"
    )
    results = []
    for words in sizes:
        figures = measure(words, args.n, words in old_sizes)
        results.append(figures)
        line = (
            f"{figures['words']:>6} words, {CHANGES} changes: "
            f"word_diff {figures['word_diff']:8.1f} ms, diff_text {figures['diff_text']:8.1f} ms"
        )
        if "old_word_diff" in figures:
            line += (
                f" | old: word_diff {figures['old_word_diff']:8.1f} ms "
                f"(new/old {figures['word_diff'] / figures['old_word_diff']:.4f}), "
                f"diff_text {figures['old_diff_text']:8.1f} ms "
                f"(new/old {figures['diff_text'] / figures['old_diff_text']:.4f}), "
                f"same word diff as the old: {'yes' if figures['same'] else 'no'}"
            )
        print(line, flush=True)
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"growth {last['words']} vs {first['words']} words "
            f"({last['words'] / first['words']:.1f}x the text): "
            f"word_diff {last['word_diff'] / first['word_diff']:.1f}x, "
            f"diff_text {last['diff_text'] / first['diff_text']:.1f}x"
        )
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    return results


if __name__ == "__main__":
    main()
