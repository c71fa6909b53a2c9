"""Staff choose how the statement's page orders and numbers its signatories, in the admin,
and the public page follows."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from organizations.models import Organization
from statements.models import Signature, Statement
from tests.e2e.helpers import collect_errors, log_in
from tests.factories import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# In the order staff first gave them, with their countries.
SIGNATORIES = [
    ("Urgent Action", "US"),
    ("The Syria Campaign", "GB"),
    ("Amnesty International", "GB"),
    ("Rights Now", "US"),
    ("Zeitouna", "SY"),
    ("Tadamon", "LB"),
    ("Baytna", "TR"),
]


def signed_statement() -> Statement:
    statement = make_statement(
        title="Order of signatories",
        status=Statement.Status.PUBLISHED,
        signatory_order=Statement.SignatoryOrder.MANUAL,
    )
    for position, (name, country) in enumerate(SIGNATORIES):
        Signature.objects.create(
            statement=statement,
            organization=Organization.objects.create(
                name=name, slug=f"org-{position}", country=country
            ),
            position=position,
        )
    return statement


def listed(page: Page) -> list[str]:
    """The public page's signatories, top to bottom."""
    return [name.strip() for name in page.locator(".signatory .signatory-name").all_inner_texts()]


def numbered(page: Page) -> bool:
    """Whether each signatory is numbered 1, 2, 3…: printed before the name, or by an
    ordered list."""
    return page.locator(".signatory").evaluate_all(
        """items => items.every((item, i) =>
            item.innerText.trim().startsWith(`${i + 1}.`) || item.closest("ol") !== null)"""
    )


def test_staff_pin_one_organization_and_order_the_rest(
    live_server, staff, page: Page, visitor_page: Page
):
    statement = signed_statement()
    errors = collect_errors(page)
    log_in(page, live_server.url, staff.username)
    page.goto(live_server.url + reverse("admin:statements_statement_change", args=[statement.pk]))

    page.locator("#id_signatory_order").select_option(label="Alphabetical")
    page.locator("#id_signatory_numbering").check()
    rows = page.locator("#signatories-group tbody tr.has_original")
    names = [rows.nth(i).locator(".field-name input").input_value() for i in range(rows.count())]
    rows.nth(names.index("Urgent Action")).locator(".field-pinned input").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    visitor_page.goto(live_server.url + statement.get_absolute_url())
    # Pinned first; then by name, "The Syria Campaign" under S (before Tadamon).
    assert listed(visitor_page) == [
        "Urgent Action",
        "Amnesty International",
        "Baytna",
        "Rights Now",
        "The Syria Campaign",
        "Tadamon",
        "Zeitouna",
    ]
    assert numbered(visitor_page)

    page.locator("#id_signatory_order").select_option(label="By country, then alphabetical")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    visitor_page.reload()
    # Lebanon, Syria, Türkiye, the United Kingdom, the United States; the pinned still first.
    assert listed(visitor_page) == [
        "Urgent Action",
        "Tadamon",
        "Zeitouna",
        "Baytna",
        "Amnesty International",
        "The Syria Campaign",
        "Rights Now",
    ]
    assert numbered(visitor_page)
    assert errors == []
