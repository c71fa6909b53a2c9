"""A reader follows a statement from its page, confirms by email, receives an update once
and leaves with one click.

The emails go through a real Celery worker, in a thread of this process, to a real SMTP
server listening on a free port.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from statements.models import Follower, OutgoingEmail, StatementUpdate
from statements.services.updates import update_post
from tests.e2e.helpers import collect_errors, local
from tests.factories import make_open_statement
from tests.support import links_in, smtp_server, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "reader@example.net"


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_reader_follows_confirms_gets_the_update_once_and_unsubscribes(
    live_server, celery_worker, smtp_port, staff, page: Page, visitor_page: Page
):
    base = live_server.url
    statement = make_open_statement(title="Open the crossings to aid")
    errors = collect_errors(page)
    with smtp_server(smtp_port) as smtp:
        # The reader asks from the statement's page, then on the follow page.
        assert page.goto(f"{base}{statement.get_absolute_url()}").status == 200
        page.get_by_role("link", name="Follow this statement: get its updates by email").click()
        page.get_by_label("Your email").fill(READER)
        page.get_by_role("button", name="Follow", exact=True).click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

        assert wait_for(lambda: len(smtp.received) == 1), "no confirmation email"
        [(recipients, confirmation)] = smtp.received
        assert recipients == [READER]
        assert confirmation["Subject"] == "Confirm you follow: Open the crossings to aid"
        [confirm_url] = [u for u in links_in(text_of(confirmation)) if "/follow/confirm/" in u]

        # Opening the link confirms nothing; the button does.
        assert page.goto(local(confirm_url, base)).status == 200
        assert not Follower.objects.get().is_following()
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("status")).to_contain_text("its updates will reach you")
        assert Follower.objects.get().is_following()

        # Staff post an update for the followers.
        update = update_post(
            statement=statement, by=staff, kind=StatementUpdate.Kind.UPDATE,
            text="The crossing at Bab al-Hawa opened this morning.",
            posted_at=timezone.now(), email_followers=True,
        )  # fmt: skip
        assert wait_for(lambda: len(smtp.received) == 2), "no update email"
        assert wait_for(lambda: not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()), (
            "an email is still unsent"
        )
        recipients, message = smtp.received[1]
        assert recipients == [READER]
        assert message["Subject"] == "Update: Open the crossings to aid"
        text = text_of(message)
        assert "The crossing at Bab al-Hawa opened this morning." in text
        update_url = next(u for u in links_in(text) if "#update-" in u)
        assert local(update_url, base) == f"{base}{update.get_absolute_url()}"
        page.goto(local(update_url, base))
        expect(page.locator(f"#{update.anchor()}")).to_contain_text("Bab al-Hawa")

        # The mail client's one click: a POST with no cookie and no CSRF token.
        unsubscribe_url = message["List-Unsubscribe"].strip("<>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        response = visitor_page.request.post(
            local(unsubscribe_url, base), form={"List-Unsubscribe": "One-Click"}
        )
        assert response.status == 200
        assert Follower.objects.get().unsubscribed_at is not None

        # Exactly once: nothing more reached the reader.
        assert len(smtp.received) == 2
    assert errors == []
