"""A statement's updates where the public reads it: its page, the API, the feeds, the PDF."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.links import absolute
from statements.models import Statement, StatementUpdate
from statements.services import updates
from tests.factories import make_signatures, make_statement
from tests.front.test_pdf import pdf_text, pdf_url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def day(d: int) -> datetime.datetime:
    return datetime.datetime(2024, 10, d, 9, 0, tzinfo=datetime.UTC)


def post(statement, by, **fields) -> StatementUpdate:
    defaults = {"kind": "update", "text": "News.", "posted_at": day(1)}
    return updates.update_post(statement=statement, by=by, **(defaults | fields))


@pytest.fixture
def statement(staff):
    """A published statement with an update, then a response posted on a later date."""
    statement = make_statement(status=Statement.Status.PUBLISHED, title="Open the crossings")
    post(statement, staff, text="Ten more organizations joined.\n\nThank you <all>.")
    post(
        statement, staff, kind="response", posted_at=day(14), text="They will meet us.",
        responder="UN Special Envoy", responded_on=datetime.date(2024, 10, 12),
        response_url="https://un.example.org/answer",
    )  # fmt: skip
    return statement


def test_the_page_shows_the_updates_newest_first_each_at_its_anchor(client, statement):
    html = client.get(statement.get_absolute_url()).content.decode()
    older, newer = StatementUpdate.objects.order_by("posted_at")
    assert html.index(f'id="{newer.anchor()}"') < html.index(f'id="{older.anchor()}"')
    assert '<h2 id="updates-heading" class="h5">Updates</h2>' in html
    # Escaped, in paragraphs.
    assert "<p>Ten more organizations joined.</p>\n\n<p>Thank you &lt;all&gt;.</p>" in html
    assert "Response received" in html
    assert '<time datetime="2024-10-14T09:00:00+00:00" dir="auto">14 October 2024</time>' in html
    assert "From <bdi>UN Special Envoy</bdi>" in html
    assert '<a href="https://un.example.org/answer" rel="noopener nofollow">' in html


def test_updates_not_yet_public_are_not_shown(client, statement):
    StatementUpdate.objects.create(
        statement=statement, kind="update", text="A correction awaiting sign-off."
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "awaiting sign-off" not in html


def test_the_page_costs_the_same_queries_however_many_updates(
    client, staff, django_assert_num_queries
):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    make_signatures(statement, 3)
    for n in range(5):
        post(statement, staff, posted_at=day(n + 1))
    # statement, demands, quotes, organizations, individuals, press contacts, related links,
    # updates, calls to action, the release's translations
    with django_assert_num_queries(10):
        response = client.get(statement.get_absolute_url())
    assert len(response.context["updates"]) == 5


def test_posting_renders_the_cached_page_again(
    client, staff, page_cache, django_capture_on_commit_callbacks
):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    client.get(statement.get_absolute_url())
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        post(statement, staff, text="The envoy answered.")
    response = client.get(statement.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "The envoy answered." in response.text
    # The cached page's follow form still works: it asks for a page of its own.
    follow = client.get(reverse("statement_follow", args=[statement.slug]))
    assert follow.status_code == 200
    assert "csrfmiddlewaretoken" in follow.text


def test_the_api_gives_the_updates(client, statement, django_assert_num_queries):
    data = client.get(f"/api/statements/{statement.slug}/").json()
    newer, older = StatementUpdate.objects.public()
    assert data["updates"] == [
        {
            "kind": "response",
            "posted_at": "2024-10-14T09:00:00Z",
            "text": "They will meet us.",
            "url": absolute(newer.get_absolute_url()),
            "responder": "UN Special Envoy",
            "responded_on": "2024-10-12",
            "response_url": "https://un.example.org/answer",
            "comparison_url": None,
        },
        {
            "kind": "update",
            "posted_at": "2024-10-01T09:00:00Z",
            "text": "Ten more organizations joined.\n\nThank you <all>.",
            "url": absolute(older.get_absolute_url()),
            "responder": None,
            "responded_on": None,
            "response_url": None,
            "comparison_url": None,
        },
    ]


def test_each_feed_entry_carries_its_updates(client, statement):
    root = ET.fromstring(client.get(reverse("feed_atom")).content)
    [entry] = root.findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary").text
    assert summary.index("Response received, 14 October 2024") < summary.index(
        "Update, 1 October 2024"
    )
    assert "<p>Thank you &lt;all&gt;.</p>" in summary
    # The entry changed when its newest update went up.
    newest = StatementUpdate.objects.public().first().published_at
    updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert updated == newest


def test_the_pdf_has_a_short_updates_section(client, statement):
    text = pdf_text(client.get(pdf_url(statement)).content).replace("\n", "")
    assert "Updates" in text
    assert "They will meet us." in text
    assert "UN Special Envoy" in text


def test_an_archived_statement_keeps_showing_its_updates_but_offers_no_following(client, statement):
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.ARCHIVED)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "They will meet us." in html
    assert "Follow this statement" not in html


def test_the_updates_come_after_the_headline_and_before_the_text(client, statement):
    html = client.get(statement.get_absolute_url()).content.decode()
    assert html.index('id="statement-title"') < html.index('id="updates-heading"')
    assert html.index('id="updates-heading"') < html.index('class="statement-body"')
