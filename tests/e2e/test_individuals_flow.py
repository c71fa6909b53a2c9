"""A reader shows more of a statement's individuals with the keyboard: the next page's rows
come in place, focus goes to the first of them and the status line says how many came."""

import pytest
from playwright.sync_api import Page, expect

from statements.models import Statement
from tests.e2e.helpers import collect_errors
from tests.factories import make_individuals, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_show_more_appends_the_next_rows_and_moves_focus_to_them(live_server, page: Page):
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        signers=Statement.Signers.EVERYONE,
        signatory_numbering=True,
    )
    make_individuals(statement, 250)
    errors = collect_errors(page)
    page.goto(live_server.url + statement.get_absolute_url())
    rows = page.locator("#individuals-list > li")
    expect(rows).to_have_count(100)
    button = page.get_by_role("button", name="Show more")
    expect(button).to_be_visible()

    button.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(200)
    expect(rows.nth(100)).to_be_focused()
    expect(rows.nth(100)).to_contain_text("Family00100")
    expect(page.locator("#individuals [role=status]")).to_have_text("100 more individuals shown.")

    button.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(250)
    expect(rows.nth(200)).to_be_focused()
    expect(page.locator("#individuals [role=status]")).to_have_text("50 more individuals shown.")
    # All shown: neither the button nor the link to the rest is left.
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="Show all 250 individuals")).to_be_hidden()
    # The numbers run on, as on the paged list.
    assert rows.nth(249).get_attribute("value") == "250"
    assert errors == []


def test_without_script_the_link_leads_to_the_paged_list(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    statement = make_statement(
        status=Statement.Status.PUBLISHED, signers=Statement.Signers.EVERYONE
    )
    make_individuals(statement, 150)
    page.goto(live_server.url + statement.get_absolute_url())
    expect(page.get_by_role("button", name="Show more")).to_be_hidden()
    page.get_by_role("link", name="Show all 150 individuals").click()
    expect(page.locator("[data-individuals] > li")).to_have_count(50)
    expect(page.get_by_role("link", name="Previous")).to_be_visible()
    context.close()
