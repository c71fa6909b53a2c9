from html.parser import HTMLParser

from statements.markdown import render_markdown


class _Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    return _Elements(html).elements


def test_it_renders_the_markdown_statements_use():
    html = render_markdown(
        "## Our call\n\nWe **condemn** the attack, *again*.\n\n"
        "> A quoted line\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "[Resolution 2139](https://example.org/res)"
    )
    assert "<h2>Our call</h2>" in html
    assert "<strong>condemn</strong>" in html
    assert "<em>again</em>" in html
    assert "<blockquote>" in html
    assert "<ul>" in html and "<ol>" in html
    assert '<a href="https://example.org/res" rel="noopener noreferrer">Resolution 2139</a>' in html


def test_it_shows_a_script_tag_as_text():
    html = render_markdown("Before <script>alert(1)</script> after\n\n<script>alert(2)</script>")
    assert "script" not in [tag for tag, _ in elements(html)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_leaves_no_event_handler_attribute():
    html = render_markdown(
        '<img src="x" onerror="alert(1)">\n\n<a href="https://e.org" onclick="alert(2)">x</a>\n\n'
        '[link](https://e.org "title\\" onmouseover=\\"alert(3)")'
    )
    for _tag, attrs in elements(html):
        assert not [name for name in attrs if name.startswith("on")]
    assert "img" not in [tag for tag, _ in elements(html)]


def test_it_makes_no_javascript_link():
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](data:text/html,x) "
        "[d](vbscript:x) <javascript:alert(3)>"
    )
    hrefs = [attrs.get("href", "") for tag, attrs in elements(html) if tag == "a"]
    assert all(not h.lower().startswith(("javascript:", "data:", "vbscript:")) for h in hrefs)


def test_it_keeps_text_in_any_script():
    assert "دعوة عاجلة — Çağrı" in render_markdown("دعوة عاجلة — Çağrı")
