"""A signatory approves the exact text through the emailed sign-off link, once.

The request email goes through a real Celery worker, in a thread of this process, to
Django's locmem backend: `mail.outbox` holds what the worker sent.
"""

import datetime

import pytest
from django.core import mail
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from statements.models import Demand, SignoffAnswer, SignoffEvent
from statements.services.signoff import signoff_requests_send
from tests.e2e.helpers import collect_errors, local
from tests.factories import make_contact, make_signatures, make_statement
from tests.support import link_in_mail, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Lift the siege on the eastern districts"
NOTE = "Please check the figures."


def test_a_signatory_approves_the_frozen_text_once(live_server, celery_worker, page: Page, staff):
    base = live_server.url
    statement = make_statement(
        title=TITLE, body="Aid must reach **every** district, without delay."
    )
    Demand.objects.create(
        statement=statement, heading="Access", text="Open every crossing to aid convoys."
    )
    first, second = make_signatures(statement, 2)
    contact = make_contact(
        organization=first.organization, name="Samira Haddad", email="samira@first.example.org"
    )

    deadline = timezone.now() + datetime.timedelta(days=3)
    [request] = signoff_requests_send(
        statement=statement, contacts=[contact], deadline=deadline, note=NOTE, by=staff
    )
    assert request.version.number == 1

    assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no sign-off request"
    [email] = mail.outbox
    assert email.to == ["samira@first.example.org"]
    due = (
        dateformat.format(timezone.localtime(deadline), "j F, H:i") + " Coordinated Universal Time"
    )
    assert email.subject == f"Please approve by {due}: {TITLE}"
    assert NOTE in email.body
    signoff_url = local(link_in_mail("/signoff/", email), base)

    # (a) Opening the link shows the frozen text and the form, and answers nothing.
    errors = collect_errors(page)
    response = page.goto(signoff_url)
    assert response.status == 200
    expect(page.get_by_text("Sign-off · version 1")).to_be_visible()
    expect(page.locator(".signoff-note")).to_have_text(NOTE)
    article = page.get_by_role("article")
    expect(article.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(article.locator(".statement-body strong")).to_have_text("every")
    expect(article.locator(".statement-body")).not_to_contain_text("**")
    demands = article.get_by_role("region", name="Our demands")
    expect(demands.get_by_role("listitem")).to_have_text(
        "Access: Open every crossing to aid convoys."
    )
    signed = article.get_by_role("region", name="Issued and signed by")
    expect(signed.get_by_role("listitem")).to_have_text(
        [first.organization.name, second.organization.name]
    )
    expect(page.get_by_role("heading", name="Your answer on version 1")).to_be_visible()
    assert not SignoffAnswer.objects.exists()
    assert SignoffEvent.objects.filter(kind=SignoffEvent.Kind.VIEWED).count() == 1

    head = page.request.head(signoff_url)
    assert head.status == 200
    assert not SignoffAnswer.objects.exists()

    # (b) Staff edit the statement after asking: the link still shows what was asked about.
    statement.body = "Aid should reach some districts, in time."
    statement.save()
    response = page.reload()
    assert response.status == 200
    body = page.get_by_role("article").locator(".statement-body")
    expect(body).to_have_text("Aid must reach every district, without delay.")
    expect(body.locator("strong")).to_have_text("every")
    expect(page.get_by_text("Sign-off · version 1")).to_be_visible()

    # A second tab, opened before answering, keeps the form for the re-submission below.
    stale = page.context.new_page()
    stale_errors = collect_errors(stale)
    assert stale.goto(signoff_url).status == 200
    csrf_token = page.locator("input[name=csrfmiddlewaretoken]").input_value()

    # (c) The signatory approves.
    page.get_by_label("Approved", exact=True).check()
    page.get_by_role("button", name="Send our answer").click()
    answered = page.get_by_role("status")
    expect(answered).to_contain_text("has answered on version 1")
    expect(answered).to_contain_text("Approved, by Samira Haddad")
    expect(page.get_by_role("button", name="Send our answer")).to_have_count(0)
    answer = SignoffAnswer.objects.get()
    assert (answer.decision, answer.version.number, answer.organization) == (
        SignoffAnswer.Decision.APPROVED,
        1,
        first.organization,
    )

    # (d) Answering again, from the tab still showing the form, is refused.
    stale.get_by_label("Declined").check()
    stale.get_by_label("Comment").fill("We cannot sign this after all.")
    with stale.expect_response(lambda r: r.request.method == "POST") as posted:
        stale.get_by_role("button", name="Send our answer").click()
    assert posted.value.status == 409
    refused = stale.get_by_role("status")
    expect(refused).to_contain_text("has answered on version 1")
    expect(refused).to_contain_text("Approved, by Samira Haddad")
    expect(stale.get_by_role("button", name="Send our answer")).to_have_count(0)

    # And posted again by hand, with the page's CSRF token.
    again = page.request.post(
        signoff_url,
        form={"csrfmiddlewaretoken": csrf_token, "decision": "declined", "comment": "No."},
    )
    assert again.status == 409
    assert "has answered on version 1" in again.text()

    # Going back shows the answer, not a form to send again.
    page.go_back()
    expect(page.get_by_role("status")).to_contain_text("has answered on version 1")
    expect(page.get_by_role("button", name="Send our answer")).to_have_count(0)

    assert SignoffAnswer.objects.get() == answer
    answer.refresh_from_db()
    assert (answer.decision, answer.comment) == (SignoffAnswer.Decision.APPROVED, "")
    assert errors == []
    # Chromium logs a document's error status as a console error: the 409, and nothing else.
    assert stale_errors == [
        "Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]
