"""Statement and campaign pages served whole from the shared cache."""

import datetime
import gzip
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.pagecache import LOCAL_SECONDS, _generation_key, public_pages_changed
from statements.models import Signature, Statement
from statements.services import cosigning, lifecycle
from tests.factories import (
    make_call_to_action,
    make_campaign,
    make_individuals,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def published(**fields) -> Statement:
    return make_statement(status=Statement.Status.PUBLISHED, **fields)


def test_a_cached_statement_page_runs_no_query(client, django_assert_num_queries):
    statement = published(title="Open the crossings")
    make_signatures(statement, 500)
    first = client.get(statement.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        again = client.get(statement.get_absolute_url())
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == "text/html; charset=utf-8"
    assert "Signed by 500 organizations" in again.content.decode()


def test_tracking_parameters_share_the_cached_page(client, django_assert_num_queries):
    statement = published()
    client.get(statement.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(statement.get_absolute_url() + "?utm_source=x&fbclid=abc")
    assert response["X-Page-Cache"] == "hit"


def test_a_cached_page_links_to_its_languages_without_the_first_visitors_parameters(client):
    statement = published()
    make_individuals(statement, 150)
    page = client.get(statement.get_absolute_url() + "?utm_source=newsletter").content.decode()
    assert "utm_source" not in page
    assert f'href="/ar{statement.get_absolute_url()}"' in page
    individuals = reverse("statement_individuals", args=[statement.slug])
    second = client.get(individuals + "?page=2&utm_source=newsletter").content.decode()
    assert "utm_source" not in second
    # The page number chooses what the page shows: its other languages keep it.
    assert f'href="/ar{individuals}?page=2"' in second


def test_an_unchanged_page_answers_not_modified(client, django_assert_num_queries):
    statement = published()
    etag = client.get(statement.get_absolute_url())["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    with django_assert_num_queries(0):
        response = client.get(statement.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # A stale copy gets the page.
    assert (
        client.get(statement.get_absolute_url(), headers={"If-None-Match": '"old"'}).status_code
        == 200
    )


def test_the_first_visit_answers_not_modified_too(client):
    statement = published()
    etag = client.get(statement.get_absolute_url())["ETag"]
    client.get(statement.get_absolute_url())  # any visit; the next one renders afresh
    public_pages_changed(*statement.page_parts())  # outside a transaction: at once
    response = client.get(statement.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"


def test_an_approved_signature_shows_at_once(client, staff, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    statement = published(campaign=campaign)
    client.get(statement.get_absolute_url())
    client.get(campaign.get_absolute_url())
    signature = Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Harbour Rights Network"),
        state=Signature.State.CONFIRMED,
        signer_email="ana@harbour.example.org",
    )
    assert "Harbour Rights Network" not in client.get(statement.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        cosigning.signature_approve(signature=signature, by=staff)

    response = client.get(statement.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Harbour Rights Network" in response.text
    assert client.get(campaign.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_change_is_hidden_until_it_is_committed(client, django_capture_on_commit_callbacks):
    statement = published()
    client.get(statement.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        public_pages_changed(*statement.page_parts())
        assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"
    for callback in callbacks:
        callback()
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_retracted_statement_shows_its_note_at_once(
    client, django_capture_on_commit_callbacks, staff
):
    statement = published()
    client.get(statement.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_retract(
            statement=statement, note="Facts in paragraph two were wrong.", by=staff
        )
    assert "Facts in paragraph two were wrong." in client.get(statement.get_absolute_url()).text


def test_a_staff_edit_in_the_admin_renders_pages_again(
    client, staff, django_capture_on_commit_callbacks
):
    campaign = make_campaign(title="Protect civilians", slug="protect-civilians")
    statement = published(campaign=campaign)
    client.get(statement.get_absolute_url())
    client.get(campaign.get_absolute_url())
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/campaigns/campaign/{campaign.pk}/change/",
            {
                "title": "Protect every civilian",
                "slug": "protect-civilians",
                "is_active": "on",
                "calls_to_action-TOTAL_FORMS": "0",
                "calls_to_action-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302
    client.logout()
    page = client.get(campaign.get_absolute_url())
    assert (page["X-Page-Cache"], "Protect every civilian" in page.text) == ("miss", True)
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_page_is_kept_no_longer_than_its_sign_button(client):
    statement = published(
        cosign_open=True, cosign_closes_at=timezone.now() + datetime.timedelta(seconds=2.5)
    )
    assert "Add your organization" in client.get(statement.get_absolute_url()).text
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"
    time.sleep(2.6)
    response = client.get(statement.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Add your organization" not in response.text


def test_what_is_not_public_is_never_kept(client):
    statement = make_statement(status=Statement.Status.DRAFT)
    assert client.get(statement.get_absolute_url()).status_code == 404
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.PUBLISHED, published_at=timezone.now()
    )
    assert client.get(statement.get_absolute_url()).status_code == 200


def test_without_a_shared_cache_pages_are_rendered_each_time(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    statement = published()
    client.get(statement.get_absolute_url())
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_browsers_that_take_gzip_get_the_page_compressed(client, django_assert_num_queries):
    statement = published()
    make_signatures(statement, 50)
    plain = client.get(statement.get_absolute_url())
    with django_assert_num_queries(0):
        packed = client.get(statement.get_absolute_url(), headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    not_modified = client.get(
        statement.get_absolute_url(),
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]},
    )
    assert not_modified.status_code == 304


def test_a_call_to_action_removed_by_staff_goes_at_once(
    client, staff, django_capture_on_commit_callbacks
):
    statement = published(campaign=make_campaign())
    call = make_call_to_action(statement=statement, title="Write to the minister")
    assert "Write to the minister" in client.get(statement.get_absolute_url()).text
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/campaigns/calltoaction/{call.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    page = client.get(statement.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Write to the minister" not in page.text


def test_a_call_to_action_appears_on_a_cached_page_when_its_time_comes(client):
    campaign = make_campaign()
    starts = timezone.now() + datetime.timedelta(seconds=2.5)
    make_call_to_action(campaign=campaign, title="Join the vigil", starts_at=starts)
    statement = published(campaign=campaign)
    for url in (statement.get_absolute_url(), campaign.get_absolute_url()):
        assert "Join the vigil" not in client.get(url).text
        assert client.get(url)["X-Page-Cache"] == "hit"
    time.sleep(2.6)
    for url in (statement.get_absolute_url(), campaign.get_absolute_url()):
        page = client.get(url)
        assert (page["X-Page-Cache"], "Join the vigil" in page.text) == ("miss", True)


def test_a_change_made_by_another_process_shows_within_a_second(client):
    statement = published()
    client.get(statement.get_absolute_url())
    # Another process gives the statement a new generation; this one's copy stays a moment.
    cache.set(_generation_key(f"statement:{statement.slug}"), "elsewhere", timeout=None)
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"
    time.sleep(LOCAL_SECONDS + 0.1)
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "miss"
