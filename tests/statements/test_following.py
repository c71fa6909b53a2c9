"""Following a statement by email: double opt-in, POST-only links, one-click unsubscribe."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Suppression
from organizations.services import suppression_add
from statements.emails import FOLLOW_CONFIRM_DAYS
from statements.models import Follower, FollowerToken, OutgoingEmail, Statement
from statements.services import updates
from tests.factories import make_open_statement, make_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

READER = "reader@example.net"


@pytest.fixture
def run_tasks(client, django_capture_on_commit_callbacks):
    """After each request, run what it queued on commit, as the commit and a worker would."""
    request = client.request

    def request_and_commit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = request_and_commit


def follow_url(statement) -> str:
    return reverse("statement_follow", args=[statement.slug])


def follow(client, statement, email=READER, **data):
    return client.post(follow_url(statement), {"email": email, **data})


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def confirmation_path() -> str:
    return path_of(link_in_mail("/follow/confirm/"))


def test_the_statement_page_links_to_the_form_without_a_csrf_token(client):
    statement = make_open_statement()
    html = client.get(statement.get_absolute_url()).content.decode()
    assert f'href="{follow_url(statement)}">Follow this statement: get its updates by email' in html
    # No address is typed on the page: it would travel in the URL.
    assert 'name="email"' not in html
    # The page is cached for everyone: no token of anyone's in it.
    assert "csrfmiddlewaretoken" not in html


def test_the_form_page_asks_for_the_address_and_carries_a_token(client):
    statement = make_open_statement()
    response = client.get(follow_url(statement), {"email": READER})
    html = response.content.decode()
    assert response.status_code == 200
    # An address in the URL is not taken up: the form is where it is typed.
    assert 'name="email"' in html and READER not in html
    assert "csrfmiddlewaretoken" in html
    assert "By following, you agree to receive this statement" in html


def test_a_reader_asks_confirms_and_follows(client, run_tasks):
    statement = make_open_statement(title="Open the crossings")
    response = follow(client, statement)
    assert response.status_code == 302
    assert response["Location"] == reverse("statement_follow_sent", args=[statement.slug])
    follower = Follower.objects.get()
    assert (follower.statement, follower.email, follower.language) == (statement, READER, "en")
    assert follower.consent_text.startswith("By following, you agree")
    assert not follower.is_following()
    [message] = mail.outbox
    assert message.to == [READER]
    assert message.subject == "Confirm you follow: Open the crossings"
    assert f"within {FOLLOW_CONFIRM_DAYS} days" in message.body

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    path = confirmation_path()
    page = client.get(path)
    assert page.status_code == 200
    assert '<form method="post">' in page.content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    assert client.post(path).status_code == 302
    follower.refresh_from_db()
    assert follower.is_following()
    assert "follows" in client.get(path).content.decode()


def test_a_used_link_acts_no_more(client, run_tasks):
    statement = make_open_statement()
    follow(client, statement)
    path = confirmation_path()
    client.post(path)
    token = FollowerToken.objects.get(purpose="confirm")
    used_at = token.used_at
    response = client.post(path)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.used_at == used_at


def test_an_expired_link_is_gone_with_a_way_to_ask_again(client, run_tasks):
    statement = make_open_statement()
    follow(client, statement)
    path = confirmation_path()
    FollowerToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(path)
    assert response.status_code == 410
    assert follow_url(statement) in response.content.decode()
    assert Follower.objects.get().confirmed_at is None


def test_a_made_up_link_is_not_found(client):
    assert client.get(reverse("follow_confirm", args=["made-up"])).status_code == 404
    assert client.post(reverse("follow_unsubscribe", args=["made-up"])).status_code == 404


def test_asking_again_sends_a_new_link_and_the_old_one_stops(client, run_tasks):
    statement = make_open_statement()
    follow(client, statement)
    first = confirmation_path()
    follow(client, statement, email=READER.upper())
    assert Follower.objects.count() == 1
    second = confirmation_path()
    assert client.post(first).status_code == 410
    assert client.post(second).status_code == 302
    assert Follower.objects.get().is_following()


def test_the_answer_does_not_tell_whether_the_address_follows(client, run_tasks):
    statement = make_open_statement()
    Follower.objects.create(statement=statement, email=READER, confirmed_at=timezone.now())
    known = follow(client, statement)
    unknown = follow(client, statement, email="new@example.net")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    sent = client.get(known["Location"]).content.decode()
    assert "Check your email" in sent
    # Only the new address is written to; the follower is not disturbed.
    assert [m.to for m in mail.outbox] == [["new@example.net"]]


def test_a_suppressed_address_is_not_written_to(client, run_tasks):
    statement = make_open_statement()
    suppression_add(email=READER, reason=Suppression.Reason.COMPLAINT)
    assert follow(client, statement).status_code == 302
    assert mail.outbox == []


def test_a_filled_honeypot_looks_accepted_but_saves_and_sends_nothing(client, run_tasks):
    statement = make_open_statement()
    response = follow(client, statement, fax_number="+1 555")
    assert response.status_code == 302
    assert not Follower.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not an address", "reader\u200b@example.net"])
def test_a_bad_address_gets_the_form_again_with_a_400(client, email):
    statement = make_open_statement()
    response = follow(client, statement, email=email)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Follower.objects.exists()


def test_too_many_requests_with_one_address_get_a_429(client, settings):
    settings.COSIGN_RATE_PER_EMAIL = "2/h"
    statement = make_open_statement()
    for n in range(2):
        follow(client, statement, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(follow_url(statement), {"email": READER}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert OutgoingEmail.objects.count() == 2


def test_too_many_requests_from_one_visitor_get_a_429(client, settings):
    settings.COSIGN_RATE_PER_IP = "2/h"
    statement = make_open_statement()
    for n in range(2):
        follow(client, statement, email=f"r{n}@example.net")
    assert follow(client, statement, email="r9@example.net").status_code == 429
    assert Follower.objects.count() == 2


@pytest.mark.parametrize(
    "status", [Statement.Status.DRAFT, Statement.Status.ARCHIVED, Statement.Status.RETRACTED]
)
def test_only_a_published_statement_can_be_followed(client, status):
    statement = make_statement(status=status)
    assert client.get(follow_url(statement)).status_code == 404
    assert follow(client, statement).status_code == 404
    assert not Follower.objects.exists()


def test_a_translation_s_page_follows_the_release_in_its_language(client, run_tasks):
    original = make_open_statement()
    arabic = make_statement(
        status=Statement.Status.PUBLISHED, language="ar", translation_of=original, title="بيان"
    )
    with translation.override("ar"):
        with_arabic = reverse("statement_follow", args=[arabic.slug])
    client.post(with_arabic, {"email": READER})
    follower = Follower.objects.get()
    assert (follower.statement, follower.language) == (original, "ar")
    [message] = mail.outbox
    assert message.subject == "تأكيد المتابعة: بيان"


# Unsubscribing


@pytest.fixture
def followed(staff, client, django_capture_on_commit_callbacks):
    """A follower emailed an update; the unsubscribe link of that email."""
    statement = make_open_statement()
    follower = Follower.objects.create(
        statement=statement, email=READER, confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        updates.update_post(
            statement=statement, by=staff, kind="update", text="News.",
            posted_at=timezone.now(), email_followers=True,
        )  # fmt: skip
    [message] = mail.outbox
    return follower, path_of(link_in_mail("/follow/unsubscribe/", message))


def test_the_unsubscribe_link_shows_a_button_and_only_a_post_acts(client, followed):
    follower, path = followed
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop following" in page.content.decode()
    follower.refresh_from_db()
    assert follower.is_following()
    response = client.post(path)
    assert response.status_code == 200
    assert "no longer follows the statement" in response.content.decode()
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None


def test_a_mail_client_s_one_click_post_needs_no_cookie_nor_token(followed):
    follower, path = followed
    one_click = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None
    # Again: already done, said so, nothing changes.
    unsubscribed_at = follower.unsubscribed_at
    again = Client(enforce_csrf_checks=True).post(path)
    assert again.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at == unsubscribed_at


def test_an_unsubscribed_reader_gets_no_more_updates(
    staff, followed, django_capture_on_commit_callbacks
):
    follower, path = followed
    Client().post(path)
    with django_capture_on_commit_callbacks(execute=True):
        updates.update_post(
            statement=follower.statement, by=staff, kind="update", text="More news.",
            posted_at=timezone.now(), email_followers=True,
        )  # fmt: skip
    assert len(mail.outbox) == 1


def test_the_confirmation_link_keeps_csrf(followed, client, run_tasks):
    """Only the unsubscribe link is exempt: the confirmation's button carries a token."""
    statement = make_open_statement()
    follow(client, statement, email="new@example.net")
    path = confirmation_path()
    assert Client(enforce_csrf_checks=True).post(path).status_code == 403
