"""A staff member builds a statement in the admin, publishes it, and the public reads it."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import log_in
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_autocomplete(page: Page, field: Locator, search: str, option: str) -> None:
    """Pick an option in an admin autocomplete (select2) widget by typing in its search box."""
    # select2's own box, not the <select> it hides: both are comboboxes, and one found
    # before select2 starts would be covered by the other when clicked.
    widget = field.locator(".select2-selection")
    widget.click()
    page.locator(".select2-container--open").get_by_role("searchbox").fill(search)
    page.get_by_role("option", name=option, exact=True).click()
    expect(widget).to_contain_text(option)


def expect_saved(page: Page) -> None:
    expect(page.get_by_text("was added successfully")).to_be_visible()


def add_organization(
    page: Page, base_url: str, *, name: str, short_name: str, kind: str, country: str, website: str
) -> str:
    page.goto(f"{base_url}/admin/organizations/organization/add/")
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Short name").fill(short_name)
    slug = name.lower().replace(" ", "-")
    expect(page.get_by_label("Slug")).to_have_value(slug)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Country").select_option(label=country)
    page.get_by_label("Website").fill(website)
    page.get_by_role("button", name="Save", exact=True).click()
    expect_saved(page)
    return slug


def add_contact(page: Page, base_url: str, *, organization: str, **fields: str) -> None:
    page.goto(f"{base_url}/admin/organizations/contact/add/")
    choose_autocomplete(page, page.locator(".field-organization"), organization[:5], organization)
    page.get_by_label("Name").fill(fields["name"])
    page.get_by_label("Title").fill(fields["title"])
    page.get_by_label("Email").fill(fields["email"])
    page.get_by_label("Phone").fill(fields["phone"])
    page.get_by_role("button", name="Save", exact=True).click()
    expect_saved(page)


def add_inline(page: Page, prefix: str, verbose_name: str) -> Locator:
    """Click "Add another …" under an inline and return the new form."""
    index = page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value()
    page.get_by_role("button", name=f"Add another {verbose_name}").click()
    form = page.locator(f"#{prefix}-{index}")
    expect(form).to_be_visible()
    return form


def test_a_statement_built_in_the_admin_is_published_for_everyone(
    live_server, staff, page: Page, visitor_page: Page
):
    base = live_server.url
    log_in(page, base, staff.username)

    add_organization(
        page,
        base,
        name="Clean Rivers Coalition",
        short_name="CRC",
        kind="Coalition or network",
        country="Germany",
        website="https://cleanrivers.example.org",
    )
    add_organization(
        page,
        base,
        name="Delta Fishers Union",
        short_name="DFU",
        kind="Trade union",
        country="Portugal",
        website="https://deltafishers.example.org",
    )
    add_contact(
        page,
        base,
        organization="Clean Rivers Coalition (CRC)",
        name="Marta Jansen",
        title="Press officer",
        email="press@cleanrivers.example.org",
        phone="+31 20 555 0100",
    )

    # The statement, with every inline a reader will see.
    page.goto(f"{base}/admin/statements/statement/add/")
    page.get_by_label("Kind").select_option(label="Open letter")
    # Typed key by key: the admin fills in the slug on each keyup, and a shorter one replaces it.
    page.get_by_label("Headline").press_sequentially("Stop the dumping in the Delta")
    expect(page.get_by_label("Slug")).to_have_value("stop-the-dumping-in-the-delta")
    page.get_by_label("Slug").fill("stop-the-dumping")
    page.get_by_label("Standfirst").fill("Two organizations call on the water authority to act.")
    page.get_by_label("Dateline").fill("ROTTERDAM")
    page.get_by_label("Release date").fill("2026-03-14")
    page.get_by_label("Body").fill(
        "We ask the authority to act **now**.\n\n"
        "Read [the monitoring report](https://example.org/report)."
    )

    demand = add_inline(page, "demands", "Demand")
    demand.get_by_label("Heading").fill("Close the outfall")
    demand.get_by_label("Text").fill("Shut the outfall within 30 days.")
    demand = add_inline(page, "demands", "Demand")
    demand.get_by_label("Heading").fill("Publish the data")
    demand.get_by_label("Text").fill("Release every water test since 2020.")

    quote = add_inline(page, "quotes", "Quote")
    quote.get_by_label("Text").fill("The river cannot wait another season.")
    quote.get_by_label("Person:", exact=True).fill("Ana Costa")
    quote.get_by_label("Person's title").fill("Director")
    choose_autocomplete(
        page, quote.locator(".field-organization"), "Clean", "Clean Rivers Coalition (CRC)"
    )

    press = add_inline(page, "press_contacts", "Press contact")
    choose_autocomplete(page, press.locator(".field-contact"), "Marta", "Marta Jansen, CRC")

    # The organizations, typed in their sections on the same form: no pop-up.
    issuer = add_inline(page, "issuers", "issuing organization")
    issuer.get_by_label("Organization").fill("Clean Rivers Coalition")
    signatory = add_inline(page, "signatories", "signatory organization")
    signatory.get_by_label("Organization").fill("DFU")

    page.get_by_role("button", name="Save and continue editing").click()
    expect_saved(page)
    expect(page.locator("#issuers-0 .field-name input")).to_have_value("Clean Rivers Coalition")
    expect(page.locator("#signatories-0 .field-name input")).to_have_value("Delta Fishers Union")

    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Preview")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop the dumping in the Delta")
    page.go_back()

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_label("Publish now")).to_be_checked()
    # Nobody signed off in Jointly: publishing is refused until staff give a reason.
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Not every signatory organization has approved the current text"
    )
    page.get_by_label("Reason to publish without every approval").fill(
        "Both organizations approved this text by phone on 13 March."
    )
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("“Stop the dumping in the Delta” is now public.")).to_be_visible()

    # What anyone sees, logged out.
    csp_errors = []
    visitor_page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and csp_errors.append(message.text)
        ),
    )
    response = visitor_page.goto(f"{base}/statements/stop-the-dumping/")
    assert response.status == 200
    statement = visitor_page.get_by_role("article")
    expect(statement.get_by_text("Open letter", exact=True)).to_be_visible()
    expect(statement.get_by_role("heading", level=1)).to_have_text("Stop the dumping in the Delta")
    expect(statement.locator(".dateline")).to_have_text("ROTTERDAM — 14 March 2026")
    expect(statement.get_by_text("Two organizations call on the water authority")).to_be_visible()
    expect(statement.locator(".statement-body strong")).to_have_text("now")
    expect(statement.get_by_role("link", name="the monitoring report")).to_have_attribute(
        "href", "https://example.org/report"
    )

    demands = statement.get_by_role("region", name="Our demands")
    expect(demands.locator("ol > li")).to_have_text(
        [
            "Close the outfall: Shut the outfall within 30 days.",
            "Publish the data: Release every water test since 2020.",
        ]
    )

    expect(statement.get_by_role("blockquote")).to_have_text(
        "The river cannot wait another season."
    )
    expect(statement.locator("figure.quote figcaption")).to_contain_text(
        "Ana Costa, Director, Clean Rivers Coalition"
    )

    issued_by = statement.get_by_role("region", name="Issued by")
    expect(issued_by.get_by_role("link", name="Clean Rivers Coalition")).to_be_visible()
    signed_by = statement.get_by_role("region", name="Signed by 1 organization")
    expect(signed_by.get_by_role("link", name="Delta Fishers Union")).to_be_visible()

    press_inquiries = statement.get_by_role("region", name="For press inquiries")
    expect(press_inquiries).to_contain_text("Marta Jansen, Press officer, Clean Rivers Coalition")
    expect(
        press_inquiries.get_by_role("link", name="press@cleanrivers.example.org")
    ).to_be_visible()
    expect(press_inquiries.get_by_role("link", name="+31 20 555 0100")).to_be_visible()

    assert csp_errors == []

    make_statement(slug="still-a-draft")
    response = visitor_page.goto(f"{base}/statements/still-a-draft/")
    assert response.status == 404
