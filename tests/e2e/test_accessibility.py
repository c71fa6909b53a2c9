"""What automated checkers and people find on the pages in a real browser.

axe-core (our copy in tests/e2e/vendor/, never fetched) finds nothing wrong on any public
page, on the pages behind emailed links or on the admin's statement form; pages reflow at
320 pixels wide; keyboard focus is always a ring that stands out from what surrounds it.

The pages are those of the demo data, which has statements in every state, with demands,
quotes, signatories, press contacts and calls to action.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.services import demo_data_create
from organizations.models import PressList
from press import services as press
from press.models import Distribution
from statements.models import PressContact, Statement
from tests.e2e.helpers import axe_report, axe_violations, local, log_in
from tests.factories import make_contact, make_distribution
from tests.support import link_in_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_ADDRESS = "press.office.of.the.coalition.for.civilian.protection@communications.example.org"


@pytest.fixture
def demo(live_server) -> Statement:
    """The demo data, and the emails it sent (confirmations, press, sign-off requests); the
    statement open for co-signing, which also gets a press contact with a long address."""
    demo_data_create(now=timezone.now())
    statement = Statement.objects.published().get(cosign_open=True)
    contact = make_contact(name="Press office", email=LONG_ADDRESS)
    PressContact.objects.create(statement=statement, contact=contact, position=9)
    return statement


def public_pages(statement: Statement) -> dict[str, str]:
    draft = Statement.objects.get(status=Statement.Status.SIGNOFF)
    Statement.objects.filter(pk=draft.pk).update(cosign_open=True)
    issuer = statement.signatures.filter(role="issuer").first().organization
    pages = {
        "home": "/",
        "archive": "/statements/",
        "search results": "/search/?q=civilians",
        "campaign": statement.campaign.get_absolute_url(),
        "organization": issuer.get_absolute_url(),
        "co-sign form": reverse("cosign", args=[statement.slug]),
        "private co-sign form": reverse("cosign_private", args=[draft.cosign_key]),
        "embed card": reverse("statement_embed", args=[statement.slug]),
        "404 page": "/statements/no-such-statement/",
    }
    for public in Statement.objects.public():
        pages[f"statement {public.slug}"] = public.get_absolute_url()
    return pages


def violations_on(page: Page, urls: dict[str, str]) -> dict[str, str]:
    """Each page's violations, by name; the page must answer 200, or 404 for the 404 page."""
    found = {}
    for name, url in urls.items():
        response = page.goto(url)
        assert response.status == (404 if name == "404 page" else 200), (name, url)
        if violations := axe_violations(page):
            found[name] = axe_report(violations)
    return found


def fail_with(found: dict[str, str]) -> None:
    if found:
        pytest.fail("\n\n".join(f"== {name}\n{text}" for name, text in found.items()))


# axe-core


def test_the_public_pages_have_no_violations(live_server, demo, page: Page):
    pages = public_pages(demo)
    found = violations_on(page, {name: live_server.url + url for name, url in pages.items()})

    page.goto(live_server.url + pages["co-sign form"])
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    if violations := axe_violations(page):
        found["co-sign form after a failed submit"] = axe_report(violations)
    fail_with(found)


def test_the_pages_behind_emailed_links_have_no_violations(live_server, demo, page: Page, staff):
    scheduled = Statement.objects.get(status=Statement.Status.SCHEDULED)
    embargoed = make_distribution(
        scheduled, lists=[PressList.objects.get()], when=Distribution.When.NOW
    )
    press.distribution_confirm(distribution=embargoed, by=staff)
    confirmation = next(m for m in mail.outbox if m.subject.startswith("Confirm your signature"))
    signoff = next(m for m in mail.outbox if "/signoff/" in m.body)
    release = mail.outbox[-1]
    links = {
        "confirm link": link_in_mail("/signatures/confirm/", confirmation),
        "withdraw link": link_in_mail("/signatures/withdraw/", confirmation),
        "sign-off link": link_in_mail("/signoff/", signoff),
        "press unsubscribe link": link_in_mail("/press/unsubscribe/", release),
        "press preview link": link_in_mail("/press/preview/", release),
    }
    fail_with(
        violations_on(page, {name: local(url, live_server.url) for name, url in links.items()})
    )


def test_the_admin_statement_form_has_no_violations(live_server, demo, staff, page: Page):
    log_in(page, live_server.url, staff.username)
    page.goto(live_server.url + reverse("admin:statements_statement_change", args=[demo.pk]))
    if violations := axe_violations(page):
        fail_with({"admin statement form": axe_report(violations)})


# Reflow (WCAG 1.4.10)


def test_the_pages_fit_320_pixels_without_scrolling_sideways(live_server, demo, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    widths = {}
    for name, url in public_pages(demo).items():
        page.goto(live_server.url + url)
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        if url == demo.get_absolute_url():
            expect(page.get_by_role("link", name=LONG_ADDRESS)).to_be_visible()
    context.close()
    assert {name: width for name, width in widths.items() if width > 320} == {}


# Focus (WCAG 2.4.7, 1.4.11)

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element.dataset.focusSeen) return null;
  element.dataset.focusSeen = "yes";
  const style = getComputedStyle(element);
  // The ring is drawn around the element, on what is behind it.
  let behind = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { behind = colour; break; }
  }
  const name = element.id || element.textContent.trim().slice(0, 30);
  return {
    element: `${element.tagName.toLowerCase()} ${name}`,
    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
    colour: style.outlineColor, behind,
  };
}"""


def luminance(colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_keyboard_focus_is_a_ring_of_at_least_3_to_1_on_every_control(live_server, demo, page):
    weak = {}
    seen = 0
    for url in [demo.get_absolute_url(), reverse("cosign", args=[demo.slug])]:
        page.goto(live_server.url + url)
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None:
                break
            seen += 1
            ratio = contrast(focused["colour"], focused["behind"])
            if focused["style"] != "solid" or focused["width"] < 2 or ratio < 3:
                weak[focused["element"]] = f"{focused['style']} {focused['width']}px {ratio:.2f}:1"
    # Links, buttons, text boxes, lists, checkboxes, the file box and the text area.
    assert seen > 40
    assert weak == {}
