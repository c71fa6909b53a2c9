"""Staff import each real release through the admin, change nothing, confirm and publish:
the public page shows every part of it, in the release's order."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from statements.importing import release_parse
from statements.models import Statement
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = sorted((Path(__file__).parents[1] / "statements" / "releases" / "seeds").glob("*.txt"))


def opening(markdown: str, words: int = 6) -> str:
    """The first words of a Markdown paragraph as a reader sees them."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", text)
    text = re.sub(r"[*_`>#]", "", text)
    return " ".join(text.split()[:words])


def in_order(text: str, parts: list[str]) -> None:
    positions = []
    for part in parts:
        assert part in text, f"{part!r} is not on the page"
        positions.append(text.index(part, positions[-1] if positions else 0))
    assert positions == sorted(positions)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem[:3])
def test_a_release_imported_as_it_is_is_published_with_every_part_in_order(
    live_server, page: Page, staff, seed: Path
):
    release = seed.read_text()
    expected = release_parse(text=release)
    log_in(page, live_server.url, staff.username)
    # What it takes from the admin's front page: one field (two with organizations to
    # vouch for) and these page loads.
    loads = []

    def count(response) -> None:
        # Each page drawn: a document answered in full, redirects not counted.
        document = response.request.resource_type == "document"
        if document and response.frame == page.main_frame and response.status == 200:
            loads.append(response.url)

    page.on("response", count)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Import a release").first.click()
    page.get_by_label("Paste the release").fill(release)
    page.get_by_role("button", name="Check").click()
    page.get_by_role("button", name="Confirm and create the draft").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    statement = Statement.objects.get()
    page.get_by_role("link", name="Publish…").click()
    if statement.signatures.exists():
        # Imported signatories have not approved the text through sign-off yet.
        page.get_by_label("Reason to publish without every approval").fill(
            "Approved by every organization by email before the import."
        )
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    # The front page, the import page, the check, the draft, the publish page, and
    # the statement published.
    assert len(loads) == 6, loads

    page.goto(live_server.url + statement.get_absolute_url())
    article = page.locator("article.statement").inner_text()
    paragraphs = [p for p in expected["body"].split("\n\n") if p.strip()]
    parts = [
        expected["headline"],
        *([expected["dateline"]] if expected["dateline"] else []),
        *[opening(p) for p in paragraphs],
        *[opening(d["text"]) for d in expected["demands"]],
        *([opening(expected["closing"])] if expected["closing"] else []),
        *[opening(q["text"]) for q in expected["quotes"]],
        *[o["name"] for o in expected["issuers"]],
        *[o["name"] for o in expected["signatories"]],
    ]
    in_order(article, parts)
    assert len(parts) > 3
