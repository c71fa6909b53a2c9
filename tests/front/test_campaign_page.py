import datetime

import pytest
from django.utils import timezone

from campaigns.models import CallToAction
from statements.models import Signature, Statement
from tests.factories import (
    make_call_to_action,
    make_campaign,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = pytest.mark.django_db

Kind = CallToAction.Kind
PUBLISHED = Statement.Status.PUBLISHED
HOUR = datetime.timedelta(hours=1)


def page(client, campaign) -> str:
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_what_the_campaign_is_about_and_asks_for(client):
    campaign = make_campaign(
        title="Protect civilians",
        summary="Stop the attacks.",
        description="Markets are bombed every week.",
        asks="A ceasefire\nOpen crossings",
    )
    html = page(client, campaign)
    assert '<h1 dir="auto">Protect civilians</h1>' in html
    assert "Stop the attacks." in html
    assert "Markets are bombed every week." in html
    assert '<h2 id="asks-heading">What we ask</h2>' in html
    assert '<li dir="auto">A ceasefire</li><li dir="auto">Open crossings</li>' in html


def test_without_asks_there_is_no_empty_list(client):
    assert "What we ask" not in page(client, make_campaign())


def test_the_timeline_shows_each_public_statement_with_date_kind_and_organizations(client):
    campaign = make_campaign()
    older = make_statement(
        status=PUBLISHED,
        campaign=campaign,
        title="First words",
        kind=Statement.Kind.PRESS_RELEASE,
        release_date=datetime.date(2015, 10, 30),
    )
    newer = make_statement(
        status=PUBLISHED,
        campaign=campaign,
        title="Later words",
        release_date=datetime.date(2024, 6, 26),
    )
    retracted = make_statement(
        status=Statement.Status.RETRACTED,
        campaign=campaign,
        title="Withdrawn words",
        release_date=datetime.date(2024, 1, 5),
    )
    make_statement(campaign=campaign, title="Draft words")
    make_signatures(newer, 2, role=Signature.Role.ISSUER)
    make_signatures(newer, 3)
    pending = make_signatures(newer, 4)
    Signature.objects.filter(pk__in=[s.pk for s in pending]).update(state="confirmed")
    make_signatures(older, 1)

    html = page(client, campaign)
    assert "Draft words" not in html
    positions = [html.index(text) for text in ["2024", "Later words", "Withdrawn words", "2015"]]
    assert positions == sorted(positions)
    assert (
        '<time datetime="2024-06-26" dir="auto">26 June 2024</time> · <span class="kind">Joint'
        in (html)
    )
    assert '<span class="kind">Press release</span>' in html
    assert f'<a href="{newer.get_absolute_url()}">Later words</a>' in html
    assert "5 organizations" in html  # issuers and signatories, approved ones only
    assert "1 organization<" in html
    assert "0 organizations" in html
    assert "Retracted</span>" in html
    assert retracted.get_absolute_url() in html and older.get_absolute_url() in html


def test_the_organizations_involved_are_those_listed_on_its_public_statements(client):
    campaign = make_campaign()
    public = make_statement(status=PUBLISHED, campaign=campaign)
    archived = make_statement(status=Statement.Status.ARCHIVED, campaign=campaign)
    draft = make_statement(campaign=campaign)
    elsewhere = make_statement(status=PUBLISHED, campaign=make_campaign())
    issuer = make_organization(name="Issuing Org")
    both = make_organization(name="Twice Signed Org")
    archived_only = make_organization(name="Archive Org")
    draft_only = make_organization(name="Secret Draft Org")
    unapproved = make_organization(name="Unconfirmed Org")
    other = make_organization(name="Other Campaign Org")
    Signature.objects.create(statement=public, organization=issuer, role=Signature.Role.ISSUER)
    Signature.objects.create(statement=public, organization=both)
    Signature.objects.create(statement=archived, organization=both)
    Signature.objects.create(statement=archived, organization=archived_only)
    Signature.objects.create(statement=draft, organization=draft_only)
    Signature.objects.create(
        statement=public, organization=unapproved, state=Signature.State.CONFIRMED
    )
    Signature.objects.create(statement=elsewhere, organization=other)

    response = client.get(campaign.get_absolute_url())
    assert list(response.context["organizations"]) == [archived_only, issuer, both]
    html = response.content.decode()
    assert "Organizations involved" in html
    assert f'<a href="{both.get_absolute_url()}"><bdi>Twice Signed Org</bdi></a>' in html
    assert html.count("Twice Signed Org") == 1
    for name in ["Secret Draft Org", "Unconfirmed Org", "Other Campaign Org"]:
        assert name not in html


def test_a_campaign_without_public_statements_lists_no_organizations(client):
    campaign = make_campaign()
    Signature.objects.create(
        statement=make_statement(campaign=campaign), organization=make_organization()
    )
    html = page(client, campaign)
    assert "Organizations involved" not in html
    assert "No statement has been published in this campaign yet." in html


def test_it_shows_the_current_calls_of_the_campaign_and_of_its_published_statements(client):
    campaign = make_campaign()
    published = make_statement(status=PUBLISHED, campaign=campaign, cosign_open=True)
    draft = make_statement(campaign=campaign, cosign_open=True)
    archived = make_statement(status=Statement.Status.ARCHIVED, campaign=campaign)
    now = timezone.now()
    make_call_to_action(campaign=campaign, title="General call", position=2)
    make_call_to_action(statement=published, title="Statement call", position=1)
    make_call_to_action(kind=Kind.COSIGN, statement=published, title="Sign it", position=3)
    make_call_to_action(statement=draft, title="Draft call")
    make_call_to_action(kind=Kind.COSIGN, statement=draft, title="Sign the draft")
    make_call_to_action(statement=archived, title="Archived call")
    make_call_to_action(campaign=campaign, title="Ended call", ends_at=now)
    make_call_to_action(campaign=campaign, title="Later call", starts_at=now + HOUR)
    make_call_to_action(title="Other campaign call")

    response = client.get(campaign.get_absolute_url())
    titles = [call.title for call in response.context["calls_to_action"]]
    assert titles == ["Statement call", "General call", "Sign it"]
    html = response.content.decode()
    assert '<h2 id="calls-heading">What you can do</h2>' in html
    assert f'href="{published.get_cosign_url()}"' in html
    assert draft.cosign_key not in html
    for title in ["Draft call", "Sign the draft", "Archived call", "Ended call", "Later call"]:
        assert title not in html


def test_a_campaign_without_calls_has_no_empty_section(client):
    html = page(client, make_campaign())
    assert "What you can do" not in html
    assert "cta.js" not in html


def test_each_kind_of_call_is_shown_with_what_readers_need(client):
    campaign = make_campaign()
    statement = make_statement(status=PUBLISHED, campaign=campaign, cosign_open=True)
    contact = make_call_to_action(
        campaign=campaign,
        kind=Kind.CONTACT,
        title="Write to the minister",
        url="",
        target_name="Ana Ruiz",
        target_role="Foreign Minister",
        target_email="minister@example.org",
        target_phone="+44 20 7946 0000",
        target_form_url="https://gov.example.org/contact",
        message_subject="Protect civilians",
        message_body="Dear Minister,\n\nPlease act.",
    )
    attend = make_call_to_action(
        campaign=campaign,
        kind=Kind.ATTEND,
        title="Join the vigil",
        url="",
        event_starts_at=timezone.make_aware(datetime.datetime(2030, 5, 4, 18, 30)),
        event_place="Parliament Square\nLondon",
    )
    make_call_to_action(
        campaign=campaign, kind=Kind.DONATE, url="https://example.org/give", title="Give"
    )
    make_call_to_action(campaign=campaign, kind=Kind.SHARE, url="", title="Spread the word")
    make_call_to_action(
        campaign=campaign,
        kind=Kind.READ_MORE,
        url="https://example.org/report",
        button_label="Read the report",
    )
    make_call_to_action(kind=Kind.COSIGN, statement=statement, url="", title="Join us")

    html = page(client, campaign)
    assert (
        f'<h3 class="h5 card-title" id="call-{contact.pk}-title" dir="auto">'
        "Write to the minister</h3>" in html
    )
    assert "<strong><bdi>Ana Ruiz</bdi></strong>, <bdi>Foreign Minister</bdi>" in html
    assert '<a href="mailto:minister@example.org" dir="ltr">minister@example.org</a>' in html
    assert '<a href="tel:+442079460000" dir="ltr">+44 20 7946 0000</a>' in html
    assert '<a href="https://gov.example.org/contact" rel="noopener">' in html
    assert "<strong>Subject:</strong> <bdi>Protect civilians</bdi>" in html
    assert f'<label class="form-label fw-bold" for="call-{contact.pk}-message">' in html
    assert 'readonly dir="auto">\nDear Minister,\n\nPlease act.</textarea>' in html
    assert f'data-copy-from="call-{contact.pk}-message"' in html
    assert ">Copy message</button>" in html
    assert (
        '<a class="btn btn-primary" href="mailto:minister@example.org?subject=Protect%20civilians'
        '&amp;body=Dear%20Minister%2C%0D%0A%0D%0APlease%20act.">Open in your mail client</a>'
    ) in html
    when = attend.event_starts_at.isoformat()
    assert f'<time datetime="{when}" dir="auto">Saturday 4 May 2030, 18:30 UTC</time>' in html
    assert "Parliament Square<br>London" in html
    assert 'href="https://example.org/give" rel="noopener"' in html
    assert ">Donate</a>" in html
    assert 'href="#share"' in html and ">Share</a>" in html
    assert 'href="https://example.org/report" rel="noopener"' in html
    assert ">Read the report</a>" in html
    assert f'href="{statement.get_cosign_url()}"' in html
    assert f'For the statement <a href="{statement.get_absolute_url()}" lang="en"' in html
    assert ">Add your organization</a>" in html
    assert html.count('<script src="/static/js/cta.js" defer></script>') == 1


def test_html_typed_in_a_call_is_shown_as_text(client):
    campaign = make_campaign()
    make_call_to_action(
        campaign=campaign,
        kind=Kind.CONTACT,
        url="",
        title="<script>alert(1)</script>",
        target_name="<b>x</b>",
        target_email="a@example.org",
        message_body="</textarea><script>alert(2)</script>",
    )
    html = page(client, campaign)
    assert "<script>alert" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html


def test_the_page_is_the_same_for_every_visitor(client):
    campaign = make_campaign()
    make_call_to_action(campaign=campaign)
    response = client.get(campaign.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_an_unknown_campaign_is_not_found(client):
    assert client.get("/campaigns/no-such-campaign/").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_the_campaign_page_costs_the_same_queries_however_many_statements(
    client, django_assert_num_queries, count
):
    campaign = make_campaign()
    for _ in range(count):
        statement = make_statement(status=PUBLISHED, campaign=campaign, cosign_open=True)
        make_signatures(statement, 2, role=Signature.Role.ISSUER)
        make_signatures(statement, 5)
        make_call_to_action(statement=statement)
        make_call_to_action(kind=Kind.COSIGN, statement=statement, url="")
        make_call_to_action(campaign=campaign)
    # campaign, statements with their counts, organizations, calls to action
    with django_assert_num_queries(4):
        response = client.get(campaign.get_absolute_url())
    assert len(response.context["organizations"]) == 7 * count
    assert len(response.context["calls_to_action"]) == 3 * count
    assert response.content.decode().count("7 organizations") == count
