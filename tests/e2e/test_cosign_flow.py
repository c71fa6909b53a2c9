"""A partner co-signs a published statement online; staff approve it and the public sees it.

The emails go through a real Celery worker, in a thread of this process, to Django's
locmem backend: `mail.outbox` holds what the worker sent.
"""

from urllib.parse import quote

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from statements.models import Signature
from tests.e2e.helpers import collect_errors, local, log_in
from tests.factories import make_open_statement, make_signatures
from tests.support import link_in_mail, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER = "Rukban Aid Committee"
SIGNER_EMAIL = "layla@rukban.example.org"


def test_a_partner_cosigns_and_is_listed_once_staff_approve(
    live_server, celery_worker, staff, page: Page, visitor_page: Page
):
    base = live_server.url
    statement = make_open_statement(title="Open the crossings to aid")
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 2)
    statement_url = f"{base}{statement.get_absolute_url()}"

    # A partner finds the statement, logged out, and signs it.
    partner = visitor_page
    errors = collect_errors(partner)
    response = partner.goto(statement_url)
    assert response.status == 200
    article = partner.get_by_role("article")
    expect(article.get_by_role("region", name="Signed by 2 organizations")).to_be_visible()
    article.get_by_role("link", name="Add your organization").click()
    expect(partner.get_by_role("heading", name="Add your organization")).to_be_visible()

    # Typed key by key, like a person: the suggestions script asks the server as they type.
    with partner.expect_response(
        lambda response: response.url.endswith(f"/organizations/suggest/?q={quote(PARTNER)}")
    ) as suggested:
        partner.get_by_label("Organization name").press_sequentially(PARTNER)
    assert suggested.value.ok
    assert suggested.value.json() == {"organizations": []}
    expect(partner.locator("#organization-match")).to_have_text("")
    partner.get_by_label("Website").fill("https://rukban.example.org")
    partner.get_by_label("Country").select_option(label="Jordan")
    partner.get_by_label("Kind of organization").select_option(label="NGO / non-profit")
    partner.get_by_label("Your full name").fill("Layla Haddad")
    partner.get_by_label("Your title or role").fill("Coordinator")
    partner.get_by_label("Your email").fill(SIGNER_EMAIL)
    partner.get_by_label("Your phone").fill("+962 6 555 0100")
    partner.get_by_label("I am authorized to sign on behalf of this organization.").check()
    partner.get_by_label("The coalition may contact me about this statement.").check()
    partner.get_by_label("Message to the coalition").fill("Count us in.")
    partner.get_by_role("button", name="Sign", exact=True).click()
    expect(partner.get_by_role("heading", name="Check your email")).to_be_visible()

    # The worker sends the confirmation email.
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no confirmation email"
    confirmation = mail.outbox[0]
    assert confirmation.to == [SIGNER_EMAIL]
    assert confirmation.subject == "Confirm your signature: Open the crossings to aid"
    confirm_url = local(link_in_mail("/signatures/confirm/", confirmation), base)

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    response = partner.goto(confirm_url)
    assert response.status == 200
    signature = Signature.objects.get(statement=statement, organization_name=PARTNER)
    assert signature.state == Signature.State.SUBMITTED
    partner.get_by_role("button", name="Confirm our signature").click()
    expect(partner.get_by_role("status")).to_have_text(
        "The signature is confirmed and waiting for the coalition’s approval."
    )
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED

    # Staff approve it from the moderation queue.
    log_in(page, base, staff.username)
    page.goto(f"{base}/admin/statements/pendingsignature/")
    expect(page.get_by_role("heading", name="Select signature awaiting approval")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=PARTNER)
    expect(row).to_contain_text(SIGNER_EMAIL)
    row.get_by_role("checkbox").check()
    action = page.get_by_role("combobox", name="Action")
    action.select_option(label="Approve the selected signatures")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_text("1 signature approved.")).to_be_visible()

    # The public sees the partner among the signatories.
    response = partner.goto(statement_url)
    assert response.status == 200
    signed_by = partner.get_by_role("region", name="Signed by 3 organizations")
    expect(signed_by.get_by_role("link", name=PARTNER)).to_be_visible()

    # And the partner is told, with the statement's public link.
    assert wait_for(lambda: len(mail.outbox) == 2), "the worker sent no “you are listed” email"
    listed = mail.outbox[1]
    assert listed.to == [SIGNER_EMAIL]
    assert listed.subject == "You are listed: Open the crossings to aid"
    assert local(link_in_mail(statement.get_absolute_url(), listed), base) == statement_url

    assert errors == []


def test_a_failed_submit_takes_the_focus_to_the_errors_and_each_to_its_field(
    live_server, page: Page
):
    statement = make_open_statement(title="Open the crossings to aid")
    errors = collect_errors(page)
    page.goto(f"{live_server.url}/statements/{statement.slug}/sign/")
    page.get_by_label("Your email").fill("not an address")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page).to_have_title("Error: Sign “Open the crossings to aid” · Jointly")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Organization name: This field is required.",
            "Your full name: This field is required.",
            "Your title or role: This field is required.",
            "Your email: Enter a valid email address.",
            "Only someone authorized by the organization can sign for it.",
        ]
    )
    summary.get_by_role("link", name="Your email: Enter a valid email address.").click()
    expect(page.get_by_label("Your email")).to_be_focused()
    expect(page.get_by_label("Your email")).to_have_attribute("aria-invalid", "true")
    assert errors == []
