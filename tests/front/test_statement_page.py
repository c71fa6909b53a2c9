"""The calls to action on a statement's public page and in its staff preview."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CallToAction
from statements.models import Statement
from tests.factories import make_call_to_action, make_campaign, make_signatures, make_statement

pytestmark = pytest.mark.django_db

Kind = CallToAction.Kind
PUBLISHED = Statement.Status.PUBLISHED


def test_a_statement_shows_its_own_calls_and_its_campaigns_general_ones(client):
    campaign = make_campaign()
    statement = make_statement(status=PUBLISHED, campaign=campaign, cosign_open=True)
    sibling = make_statement(status=PUBLISHED, campaign=campaign)
    make_signatures(statement, 2)
    make_call_to_action(campaign=campaign, title="For every statement", position=2)
    make_call_to_action(statement=statement, title="For this statement", position=1)
    make_call_to_action(
        kind=Kind.COSIGN, statement=statement, url="", title="Sign this", position=3
    )
    make_call_to_action(statement=sibling, title="For the sibling")
    make_call_to_action(title="Another campaign's call")
    make_call_to_action(
        campaign=campaign, title="Ended call", ends_at=timezone.now() - datetime.timedelta(1)
    )

    response = client.get(statement.get_absolute_url())
    titles = [call.title for call in response.context["calls_to_action"]]
    assert titles == ["For this statement", "For every statement", "Sign this"]
    html = response.content.decode()
    # After the signatories and the co-sign button.
    assert html.index("Signed by 2") < html.index("cosign-call") < html.index("What you can do")
    assert "For the sibling" not in html
    # Its own co-sign call does not name the statement the reader is on.
    assert "Sign this" in html and "For the statement" not in html
    assert "Ended call" not in html


def test_a_statement_outside_any_campaign_shows_no_calls(client):
    statement = make_statement(status=PUBLISHED)
    make_call_to_action()
    assert client.get(statement.get_absolute_url()).context["calls_to_action"] == []


@pytest.mark.parametrize("status", [Statement.Status.ARCHIVED, Statement.Status.RETRACTED])
def test_nobody_is_asked_to_act_on_an_archived_or_retracted_statement(client, status):
    statement = make_statement(status=status, campaign=make_campaign())
    make_call_to_action(statement=statement, title="Old call")
    make_call_to_action(campaign=statement.campaign, title="Campaign call")
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "Old call" not in html and "Campaign call" not in html


def test_staff_preview_shows_a_drafts_calls_but_not_its_cosign_call(staff_client):
    statement = make_statement(campaign=make_campaign(), cosign_open=True)
    make_call_to_action(statement=statement, title="Coming call")
    make_call_to_action(kind=Kind.COSIGN, statement=statement, url="", title="Sign the draft")
    url = reverse("admin:statements_statement_preview", args=[statement.pk])
    html = staff_client.get(url).content.decode()
    assert "Coming call" in html
    assert "Sign the draft" not in html


@pytest.mark.parametrize("calls", [0, 1, 25])
def test_the_calls_cost_one_query_however_many_there_are(client, django_assert_num_queries, calls):
    campaign = make_campaign()
    statement = make_statement(status=PUBLISHED, campaign=campaign, cosign_open=True)
    make_signatures(statement, 3)
    for _ in range(calls):
        make_call_to_action(statement=statement)
        make_call_to_action(kind=Kind.COSIGN, statement=statement, url="")
        make_call_to_action(campaign=campaign)
    # statement, demands, quotes, organizations, individuals, press contacts, related links,
    # updates, calls to action, the release's translations, its latest correction
    with django_assert_num_queries(10):
        response = client.get(statement.get_absolute_url())
    assert len(response.context["calls_to_action"]) == 3 * calls
