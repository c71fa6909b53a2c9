"""The admin as staff use it on a laptop: lists that fit 1280 px, rows put in order by
dragging."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from organizations.models import Organization
from statements.models import Signature, Statement
from tests.e2e.helpers import collect_errors, log_in
from tests.factories import confirmed, make_distribution, make_open_statement, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = (
    "Coalition of Civil Society Organizations for the Protection of Civilians "
    "and Humanitarian Access"
)


def long_data() -> None:
    for n in range(3):
        statement = make_open_statement(
            title=f"{LONG} — joint statement on the strikes of this week, number {n}",
            slug=f"long-{n}",
            cosign_auto_approve=False,
            status=Statement.Status.PUBLISHED,
        )
        confirmed(
            statement,
            organization_name=f"{LONG} {n}",
            website=f"https://very-long-domain-name-of-the-organization-{n}.example.org",
            signer_name="Dr. Maria-Alexandra Konstantinopoulou-Fernández",
            signer_title="Director of Communications, Advocacy and Public Affairs",
            signer_email=f"maria.alexandra.konstantinopoulou-{n}@very-long-domain-name-of-the-organization-{n}.example.org",
        )
        make_distribution(statement, subject=f"{LONG}: embargoed press release, take {n}")


def test_the_lists_fit_a_1280_pixel_screen(live_server, staff, page: Page):
    long_data()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, staff.username)
    for name in [
        "statements_pendingsignature_changelist",
        "statements_signature_changelist",
        "statements_statement_changelist",
        "press_distribution_changelist",
    ]:
        page.goto(live_server.url + reverse(f"admin:{name}"))
        expect(page.locator("#result_list")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        # Django lets the table scroll sideways in its own box: that counts too.
        results = page.evaluate(
            "(() => { const box = document.querySelector('#changelist .results');"
            " return box.scrollWidth - box.clientWidth; })()"
        )
        assert width <= 1280 and results <= 0, (name, width, results)


def test_staff_put_the_issuers_in_order_by_dragging(live_server, staff, page: Page):
    statement = make_statement(title="Order of issuers")
    for n, name in enumerate(["First Group", "Second Group", "Third Group"]):
        Signature.objects.create(
            statement=statement,
            organization=Organization.objects.create(name=name, slug=f"group-{n}"),
            role=Signature.Role.ISSUER,
            position=n,
        )
    errors = collect_errors(page)
    log_in(page, live_server.url, staff.username)
    page.goto(live_server.url + reverse("admin:statements_statement_change", args=[statement.pk]))
    rows = page.locator("#issuers-group tbody tr.has_original")
    names = rows.locator(".field-name input")
    assert [names.nth(i).input_value() for i in range(3)] == [
        "First Group",
        "Second Group",
        "Third Group",
    ]
    rows.nth(2).locator(".sort-handle").drag_to(rows.nth(0), target_position={"x": 10, "y": 2})
    # And one moved with its button, as with a keyboard.
    page.locator("#issuers-group tbody tr.has_original").nth(2).get_by_role(
        "button", name="Move up"
    ).click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    ordered = statement.signatures.order_by("position").values_list("organization__name", flat=True)
    assert list(ordered) == ["Third Group", "Second Group", "First Group"]
    assert errors == []
