"""A reader shares a published statement: copies its link, then follows the X button.

The networks are out of reach offline, so the browser's requests to x.com are answered
by the test, which reads what the share link carried.
"""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from front.sharing import share_links
from statements.models import Statement
from tests.e2e.helpers import collect_errors
from tests.factories import make_signatures, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Open the crossings & let aid in — now?"


@pytest.fixture
def statement_url(live_server, settings) -> str:
    # The live server stands for the public site, so the absolute addresses lead to it.
    settings.SITE_URL = live_server.url
    statement = make_statement(status=Statement.Status.PUBLISHED, title=TITLE)
    make_signatures(statement, 2)
    return f"{live_server.url}{statement.get_absolute_url()}"


def test_a_reader_copies_the_link_and_shares_it_on_x(statement_url, page: Page):
    errors = collect_errors(page)
    context = page.context
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=statement_url)
    asked_x = []

    def answer_for_x(route):
        asked_x.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Post</title><p>Post</p>")

    context.route("https://x.com/**", answer_for_x)

    assert page.goto(statement_url).status == 200
    share = page.get_by_role("region", name="Share this statement")
    expect(share).to_be_visible()
    for link in share_links(url=statement_url, title=TITLE):
        expect(share.get_by_role("link", name=link.name)).to_have_attribute("href", link.href)

    # The card's image is there to fetch, at the size the tags announce.
    image_url = page.locator('meta[property="og:image"]').get_attribute("content")
    image = page.request.get(image_url)
    assert image.ok
    assert image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.body())).size == (1200, 630)

    share.get_by_role("button", name="Copy link").click()
    expect(share.get_by_role("status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == statement_url

    with context.expect_page() as opened:
        share.get_by_role("link", name="Share on X").click()
    x = opened.value
    x.wait_for_load_state()
    expect(x).to_have_title("Post")
    [asked] = asked_x
    assert urlsplit(asked)[:3] == ("https", "x.com", "/intent/post")
    assert parse_qs(urlsplit(asked).query) == {"text": [TITLE], "url": [statement_url]}
    assert errors == []


def test_without_script_the_link_waits_in_its_field(statement_url, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(statement_url)
    share = page.get_by_role("region", name="Share this statement")
    expect(share.get_by_label("Link to share", exact=True)).to_have_value(statement_url)
    expect(share.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(share.get_by_role("link", name="Share by email")).to_be_visible()
    context.close()
