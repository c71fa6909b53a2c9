"""The Arabic public site in real Chromium: right to left from <html> down, text in the
other direction keeping its order (measured where the browser draws it, not read from
attributes), the switcher leading to the English translation, and axe finding nothing.
"""

import datetime

import pytest
from playwright.sync_api import Page, expect

from statements.models import Demand, Signature, Statement
from tests.e2e.helpers import axe_report, axe_violations, collect_errors
from tests.factories import make_campaign, make_organization, make_signatures, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = Statement.Status.PUBLISHED
RELEASED = datetime.date(2023, 7, 12)

# Where the browser drew the first occurrence of a text inside an element: its left edge.
LEFT_OF_TEXT = """([selector, text]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return range.getBoundingClientRect().left;
  }
  return null;
}"""


@pytest.fixture
def release(live_server, settings) -> tuple[Statement, Statement]:
    """An English statement and its Arabic translation, issued by an English-named
    organization (the release's signatures are the original's: the translation gets its
    issuer too, so that its page lists it before and after that rule reaches the pages)
    and signed by three more."""
    settings.SITE_URL = live_server.url
    campaign = make_campaign(title="احموا المدنيين", slug="hemaya")
    original = make_statement(
        status=PUBLISHED, title="Stop the shelling", slug="stop", release_date=RELEASED,
        campaign=campaign, dateline="BEIRUT",
    )  # fmt: skip
    arabic = make_statement(
        status=PUBLISHED, language="ar", translation_of=original, title="أوقفوا القصف",
        slug="awqifu", release_date=RELEASED, campaign=campaign, dateline="بيروت",
        standfirst="ثماني منظمات تتحدث بصوت واحد.", body="نطالب بوقف فوري لإطلاق النار.",
    )  # fmt: skip
    for statement in (original, arabic):
        Demand.objects.create(statement=statement, heading="وقف إطلاق النار", text="الآن.")
    issuer = make_organization(name="Syrian Civil Defence", short_name="SCD", slug="scd")
    for statement in (original, arabic):
        Signature.objects.create(
            statement=statement, organization=issuer, role=Signature.Role.ISSUER
        )
    make_signatures(original, 3)
    return original, arabic


def left(page: Page, selector: str, text: str) -> float:
    position = page.evaluate(LEFT_OF_TEXT, [selector, text])
    assert position is not None, f"{text!r} not found in {selector}"
    return position


def test_the_arabic_page_runs_right_to_left_with_the_navigation_on_the_right(
    live_server, release, page: Page
):
    _original, arabic = release
    errors = collect_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + arabic.get_absolute_url())
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    brand = page.locator(".navbar-brand").bounding_box()
    home = page.get_by_role("link", name="الرئيسية").bounding_box()
    assert brand["x"] > 1280 / 2, brand  # the site's name where Arabic lines start
    assert home["x"] < brand["x"], (home, brand)  # and the menu after it, to its left
    # The short headline hangs from the article's right edge, far from its left one.
    article = page.locator("article.statement").bounding_box()
    start = left(page, "#statement-title", "أوقفوا")
    assert start - article["x"] > article["width"] / 2, (start, article)
    # The catalogue and our scripts load under the Content Security Policy.
    assert errors == []


def test_the_date_and_an_english_name_keep_their_order_inside_arabic(
    live_server, release, page: Page
):
    _original, arabic = release
    page.goto(live_server.url + arabic.get_absolute_url())
    time = "article .dateline time"
    expect(page.locator(time)).to_have_text("12 يوليو 2023")
    # Read from the right: the day first, the year last.
    assert left(page, time, "12") > left(page, time, "2023")
    issuers = "#issuers-heading + .org-list"
    assert (
        left(page, issuers, "Syrian")
        < left(page, issuers, "Civil")
        < left(page, issuers, "Defence")
    )


def test_an_english_date_around_an_arabic_statement_reads_left_to_right(
    live_server, release, page: Page
):
    _original, arabic = release
    page.goto(live_server.url + arabic.get_absolute_url().replace("/ar/", "/", 1))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    time = "article .dateline time"
    expect(page.locator(time)).to_have_text("12 July 2023")
    # Not "July 2023 12": the English date is isolated from the Arabic around it.
    assert left(page, time, "12") < left(page, time, "July") < left(page, time, "2023")
    heading = "#issuers-heading"
    assert left(page, heading, "Issued") < left(page, heading, "by")


def test_the_switcher_leads_to_the_english_translation(live_server, release, page: Page):
    original, arabic = release
    page.goto(live_server.url + arabic.get_absolute_url())
    page.get_by_role("navigation", name="اللغة").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + original.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#statement-title")).to_have_text("Stop the shelling")
    # And back, through the "Also in" line.
    page.get_by_role("navigation", name="This statement in other languages").get_by_role(
        "link", name="العربية"
    ).click()
    expect(page.locator("#statement-title")).to_have_text("أوقفوا القصف")


def test_the_arabic_pages_have_no_accessibility_violations(live_server, release, page: Page):
    _original, arabic = release
    found = {}
    for path in [
        "/ar/",
        "/ar/statements/",
        "/ar/search/?q=القصف",
        arabic.get_absolute_url(),
        "/ar/campaigns/hemaya/",
        "/ar/organizations/scd/",
        "/ar/statements/awqifu/embed/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if violations := axe_violations(page):
            found[path] = axe_report(violations)
    if found:
        pytest.fail("\n\n".join(f"== {path}\n{text}" for path, text in found.items()))
