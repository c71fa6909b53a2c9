"""A visitor signs a statement in their own name and, confirmed by email, is listed.

The emails go through a real Celery worker, in a thread of this process, to a real SMTP
server listening on a free port.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from statements.models import Signature, Statement
from statements.selectors import signatory_list
from tests.e2e.helpers import axe_report, axe_violations, collect_errors
from tests.factories import make_open_statement, make_signatures
from tests.support import links_in, smtp_server, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "amaka@example.net"


def link(message, path_part: str, base: str) -> str:
    text = message.get_body(("plain",)).get_content()
    [found] = [url for url in links_in(text) if path_part in url]
    return base + urlsplit(found).path


def test_a_visitor_signs_as_themselves_and_is_listed_among_the_individuals(
    live_server, celery_worker, smtp_port, page: Page
):
    base = live_server.url
    statement = make_open_statement(
        title="Open the crossings to aid",
        signers=Statement.Signers.EVERYONE,
        individuals_auto_approve=True,
    )
    make_signatures(statement, 2)
    errors = collect_errors(page)

    with smtp_server(smtp_port) as smtp:
        page.goto(f"{base}/statements/{statement.slug}/sign/")
        expect(page.get_by_role("heading", name="Sign this statement")).to_be_visible()
        assert axe_violations(page) == [], axe_report(axe_violations(page))
        choice = page.get_by_role("group", name="How do you sign?")
        choice.get_by_label("Sign as yourself").check()
        # The script hides what only an organization fills in.
        expect(page.get_by_label("Organization name")).to_be_hidden()
        expect(
            page.get_by_label("I am authorized to sign on behalf of this organization.")
        ).to_be_hidden()
        page.get_by_label("Your full name").fill("Amaka Okafor")
        page.get_by_label("Your title or role").fill("Researcher")
        page.get_by_label("Your affiliation").fill("University of Lagos")
        page.get_by_label("Your country").select_option(label="Nigeria")
        page.get_by_label("Your email").fill(EMAIL)
        page.get_by_role("button", name="Sign", exact=True).click()
        # Only what a person signing as themselves must give is asked for.
        summary = page.get_by_role("alert").filter(has_text="There is a problem")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_text(
            ["We can list you only if you agree to have your name published."]
        )
        assert axe_violations(page) == [], axe_report(axe_violations(page))
        page.get_by_label("You may publish my name on this statement.").check()
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

        assert wait_for(lambda: len(smtp.received) == 1), "the worker sent no confirmation email"
        [(recipients, confirmation)] = smtp.received
        assert recipients == [EMAIL]
        assert confirmation["Subject"] == "Confirm your signature: Open the crossings to aid"

        # Opening the link confirms nothing; the button does.
        response = page.goto(link(confirmation, "/signatures/confirm/", base))
        assert response.status == 200
        assert Signature.objects.get(person_key=EMAIL).state == Signature.State.SUBMITTED
        page.get_by_role("button", name="Confirm my signature").click()
        expect(page.get_by_role("status")).to_contain_text("The signature is confirmed and listed")
        signature = Signature.objects.get(person_key=EMAIL)
        assert (signature.kind, signature.state) == ("individual", "approved")
        assert signature.organization is None

        # Listed at once: the statement allows it for individuals, and says so by email.
        assert wait_for(lambda: len(smtp.received) == 2), "no “you are listed” email"
        [_, (recipients, listed)] = smtp.received
        assert recipients == [EMAIL]
        assert listed["Subject"] == "You are listed: Open the crossings to aid"
        assert "Your name is now listed on" in listed.get_body(("plain",)).get_content()

    assert [row.name for row in signatory_list(statement).individuals] == ["Amaka Okafor"]
    page.goto(f"{base}{statement.get_absolute_url()}")
    expect(page.locator("#individuals")).to_contain_text("Amaka Okafor")
    assert errors == []
