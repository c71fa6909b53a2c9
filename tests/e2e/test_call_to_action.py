"""A reader copies a call to action's suggested message and opens it in their mail client."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from campaigns.models import CallToAction
from statements.models import Statement
from tests.e2e.helpers import collect_errors
from tests.factories import make_call_to_action, make_campaign, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Write to the Foreign Minister"
SUBJECT = "Protect civilians in Idlib & Aleppo"
MESSAGE = (
    "Dear Minister,\n\n"
    "Markets and camps in northwest Syria are bombed week after week.\n"
    "Please call for a ceasefire, 100% of the crossings open, and justice.\n\n"
    "Yours sincerely,"
)
MAILTO = (
    "mailto:minister@foreign-office.example.org"
    "?subject=Protect%20civilians%20in%20Idlib%20%26%20Aleppo"
    "&body=Dear%20Minister%2C%0D%0A%0D%0A"
    "Markets%20and%20camps%20in%20northwest%20Syria%20are%20bombed%20week%20after%20week."
    "%0D%0APlease%20call%20for%20a%20ceasefire%2C%20100%25%20of%20the%20crossings%20open"
    "%2C%20and%20justice.%0D%0A%0D%0AYours%20sincerely%2C"
)


@pytest.fixture
def reader(browser):
    """A logged-out page allowed to write to and read the clipboard."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def test_a_reader_copies_the_message_and_finds_it_ready_in_their_mail_client(live_server, reader):
    campaign = make_campaign(title="Protect civilians")
    statement = make_statement(status=Statement.Status.PUBLISHED, campaign=campaign)
    make_call_to_action(
        campaign=campaign,
        kind=CallToAction.Kind.CONTACT,
        url="",
        title=TITLE,
        target_name="Ana Ruiz",
        target_role="Foreign Minister",
        target_email="minister@foreign-office.example.org",
        message_subject=SUBJECT,
        message_body=MESSAGE,
    )
    errors = collect_errors(reader)

    for url in [statement.get_absolute_url(), campaign.get_absolute_url()]:
        response = reader.goto(f"{live_server.url}{url}")
        assert response.status == 200
        calls = reader.get_by_role("region", name="What you can do")
        call = calls.get_by_role("article", name=TITLE)
        expect(call.get_by_label("Suggested message")).to_have_value(MESSAGE)
        status = call.get_by_role("status")
        expect(status).to_have_text("")

        reader.evaluate("navigator.clipboard.writeText('something else')")
        call.get_by_role("button", name="Copy message").click()
        expect(status).to_have_text("Copied")
        assert reader.evaluate("navigator.clipboard.readText()") == MESSAGE

        mail = call.get_by_role("link", name="Open in your mail client")
        href = mail.get_attribute("href")
        assert href == MAILTO
        query = parse_qs(urlsplit(href).query)
        assert query == {"subject": [SUBJECT], "body": [MESSAGE.replace("\n", "\r\n")]}

    assert errors == []


def test_without_javascript_the_message_is_still_there_to_select(live_server, browser):
    campaign = make_campaign()
    make_call_to_action(
        campaign=campaign,
        kind=CallToAction.Kind.CONTACT,
        url="",
        title=TITLE,
        target_name="Ana Ruiz",
        target_email="minister@foreign-office.example.org",
        message_subject=SUBJECT,
        message_body=MESSAGE,
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    call = page.get_by_role("article", name=TITLE)
    expect(call.get_by_label("Suggested message")).to_have_value(MESSAGE)
    expect(call.get_by_role("button", name="Copy message")).to_be_hidden()
    expect(call.get_by_role("link", name="Open in your mail client")).to_have_attribute(
        "href", MAILTO
    )
    context.close()
