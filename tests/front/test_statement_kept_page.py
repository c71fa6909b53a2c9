"""The statement page kept rendered around its sign button and calls to action, with the
page cache's generations: reused by a render the page cache could not spare, replaced
when the statement changes, one per language, the same HTML as rendered afresh."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from campaigns.models import CallToAction
from core.pagecache import _page_key, forget_local_pages
from statements.models import Signature, Statement
from statements.selectors import statement_page_context
from statements.services import cosigning
from tests.factories import (
    make_call_to_action,
    make_campaign,
    make_full_statement,
    make_individuals,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

# The statement and its calls to action: the rest of the page is kept.
QUERIES_KEPT_PAGE = 2
QUERIES_STATEMENT_PAGE = 10  # as tests/front/test_signatory_list.py counts them


def published(**fields) -> Statement:
    defaults = {"status": Statement.Status.PUBLISHED, "signers": Statement.Signers.EVERYONE}
    return make_statement(**(defaults | fields))


def rendered_again(client, url: str):
    """The page rendered by its view, as when the page cache dropped it without a change
    (past its fresh_until, or evicted)."""
    forget_local_pages()
    cache.delete(_page_key(url))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    return response


def share_image(html: str) -> str:
    return re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)


def article(html: str) -> str:
    return re.search(r"<article class=\"statement .*?</article>", html, re.S).group()


def test_a_render_that_reuses_the_kept_page_reads_only_the_statement_and_its_calls(
    client, django_assert_num_queries
):
    statement = published(signatory_numbering=True, signatory_details=True)
    make_signatures(statement, 50)
    make_individuals(statement, 150)
    url = statement.get_absolute_url()
    with django_assert_num_queries(QUERIES_STATEMENT_PAGE):
        first = client.get(url)
    forget_local_pages()
    cache.delete(_page_key(url))
    with django_assert_num_queries(QUERIES_KEPT_PAGE):
        again = client.get(url)
    assert again["X-Page-Cache"] == "miss"
    assert again.content == first.content


def test_the_kept_page_is_the_page_rendered_afresh(client, settings):
    statement = make_full_statement(signers=Statement.Signers.EVERYONE)
    make_signatures(statement, 3)
    make_individuals(statement, 120)
    make_call_to_action(statement=statement, title="Write to your representative")
    statement.updates.create(text="Delivered today.", published_at=statement.published_at)
    url = statement.get_absolute_url()
    first = client.get(url).content
    kept = rendered_again(client, url).content
    settings.PAGE_CACHE_SECONDS = 0
    afresh = client.get(url).content
    assert kept == first == afresh
    html = afresh.decode()
    for shown in ("Ceasefire", "Rana Haddad", "Sam Okafor", "Earlier report", "Delivered today."):
        assert shown in html
    assert "Write to your representative" in html


def test_the_kept_page_holds_the_article_its_template_renders_whole(client, rf: RequestFactory):
    """Elsewhere (the preview, the press preview, the private co-sign form) the article is
    rendered whole from its template: the statement page's kept parts and its sign button
    and calls to action add up to the same."""
    statement = make_full_statement(signers=Statement.Signers.EVERYONE)
    make_individuals(statement, 120)
    html = client.get(statement.get_absolute_url()).content.decode()
    context, _changes = statement_page_context(statement)
    with translation.override("en"):
        whole = render_to_string(
            "statements/_statement_article.html", context, rf.get(statement.get_absolute_url())
        )
    assert article(html) == article(whole)


def test_a_new_signatory_appears_on_the_next_render(
    client, staff, django_capture_on_commit_callbacks
):
    statement = published()
    make_signatures(statement, 2)
    url = statement.get_absolute_url()
    before = client.get(url).text
    assert "Signed by 2 organizations" in before
    signature = Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Harbour Rights Network"),
        state=Signature.State.CONFIRMED,
        signer_email="ana@harbour.example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        cosigning.signature_approve(signature=signature, by=staff)

    html = client.get(url).text
    assert "Harbour Rights Network" in html
    assert "Signed by 3 organizations" in html
    # The share card counts them too: its address changes with what it shows.
    assert share_image(html) != share_image(before)
    assert rendered_again(client, url).text == html


def test_a_call_to_action_shows_on_the_kept_page_when_its_time_comes(client):
    statement = published(campaign=make_campaign())
    call = make_call_to_action(
        statement=statement,
        title="Write to your representative",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
    url = statement.get_absolute_url()
    assert "Write to your representative" not in client.get(url).text
    # An hour on: nothing changed but the time.
    CallToAction.objects.filter(pk=call.pk).update(starts_at=timezone.now())
    assert "Write to your representative" in rendered_again(client, url).text


def test_without_a_change_the_kept_page_stands(client):
    """Rows changed behind the services' back show only once the statement changes: the
    page is kept until then (the page cache's own rule)."""
    statement = published()
    make_signatures(statement, 2)
    url = statement.get_absolute_url()
    client.get(url)
    make_signatures(statement, 1)
    assert "Signed by 2 organizations" in rendered_again(client, url).text


def test_each_language_of_the_page_is_kept_apart(client):
    statement = published()
    make_individuals(statement, 2)
    english, arabic = statement.get_absolute_url(), "/ar" + statement.get_absolute_url()
    # The interface's words in the English statement are marked as Arabic on the Arabic page.
    in_english = '<h3 id="individuals-heading" class="h4">Individuals</h3>'
    in_arabic = '<h3 id="individuals-heading" class="h4" lang="ar" dir="rtl">'
    assert in_english in client.get(english).text
    assert in_arabic in client.get(arabic).text
    again = rendered_again(client, english).text
    assert in_english in again
    assert in_arabic not in again
    assert in_arabic in rendered_again(client, arabic).text


def test_without_the_page_cache_nothing_is_kept(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    statement = published()
    make_signatures(statement, 2)
    client.get(statement.get_absolute_url())
    make_signatures(statement, 1)
    with django_assert_num_queries(QUERIES_STATEMENT_PAGE):
        html = client.get(statement.get_absolute_url()).text
    assert "Signed by 3 organizations" in html
