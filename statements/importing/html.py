"""HTML (a .docx through mammoth, an .odt, a paste from a word processor) to Markdown.

Only what a release carries survives: paragraphs, headings, line breaks, lists, links,
bold and italics. Styles, scripts, images, Word's conditional comments and tables' cells
become plain text, so nothing from the pasted page can reach a reader's browser.
"""

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "pre"}
_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_BOLD = {"b", "strong"}
_ITALIC = {"i", "em"}
# Google Docs wraps a whole paste in <b style="font-weight:normal">: that one is not bold.
_NOT_BOLD = re.compile(r"font-weight\s*:\s*(normal|[1-4]00)\b")
# Block tags only: a plain-text paste that mentions <b> or <a> keeps its line breaks.
_HTML_BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|table|tr|html|body|meta)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return len(_HTML_BLOCK_TAG.findall(text[:20000])) >= 2


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.lists: list[list] = []  # [tag, counter]
        self.links: list[str | None] = []
        self.marks: list[str] = []

    def _flush(self):
        text = re.sub(r"[ \t]+", " ", "".join(self.line)).strip()
        text = "\n".join(part.strip() for part in text.split("\n")).strip("\n")
        if text:
            self.blocks.append(text)
        self.line = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            # A paragraph inside a list item (OpenDocument, some pastes) stays on its marker.
            if not re.fullmatch(r"\s*(?:-|\d+\.)\s", "".join(self.line)):
                self._flush()
            if tag in {"h1", "h2", "h3"}:
                self.line.append("#" * int(tag[1]) + " ")
        elif tag == "br":
            self.line.append("\n")
        elif tag in {"ul", "ol"}:
            self._flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            indent = "   " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.line.append(f"{indent}{self.lists[-1][1]}. ")
            else:
                self.line.append(f"{indent}- ")
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            self.links.append(href if href and not href.lower().startswith("javascript:") else None)
            if self.links[-1]:
                self.line.append("[")
        elif tag in _BOLD and not _NOT_BOLD.search(attrs.get("style") or ""):
            self.marks.append(tag)
            self.line.append("**")
        elif tag in _ITALIC:
            self.marks.append(tag)
            self.line.append("*")
        elif tag in {"td", "th"}:
            self.line.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCKS or tag == "li":
            self._flush()
        elif tag in {"ul", "ol"}:
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.line.append(f"]({href})")
        elif tag in self.marks:
            self.marks.remove(tag)
            self.line.append("**" if tag in _BOLD else "*")

    def handle_data(self, data):
        if not self.skipping:
            self.line.append(data.replace("\n", " "))


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter._flush()
    # Emphasis that wraps only spaces (Word's habit) is noise.
    text = "\n\n".join(converter.blocks)
    text = re.sub(r"\*\*(\s*)\*\*|(?<!\*)\*(\s*)\*(?!\*)", r"\1\2", text)
    text = re.sub(r"\[(\s*)\]\([^)]*\)", r"\1", text)
    return text
