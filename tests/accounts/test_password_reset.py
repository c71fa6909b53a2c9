"""Password reset by email: owed in the database, sent once through the queue, its link
good for one new password."""

import datetime
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.models import User
from django.core import mail

from accounts.models import PasswordReset
from statements.models import OutgoingEmail
from statements.services.outgoing import outgoing_email_send
from tests.conftest import PASSWORD
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
DONE = "/accounts/password/reset/done/"
NEW_PASSWORD = "another long enough password"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def ask(client, address: str):
    return client.post(RESET, {"email": address})


def owed() -> OutgoingEmail:
    return OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.PASSWORD_RESET)


def send_twice(email: OutgoingEmail) -> list[bool]:
    """The task run twice, as after a worker's restart: the second finds it sent."""
    return [outgoing_email_send(email_id=email.pk), outgoing_email_send(email_id=email.pk)]


def set_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the emailed link, then post the new password on the page it leads to."""
    response = client.get(link)
    assert response.status_code == 302  # allauth keeps the key in the session, off the address
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page, client.post(response["Location"], {"password1": password, "password2": password})


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get("/accounts/login/").content.decode()
    assert f'<a href="{RESET}">Forgot your password?</a>' in html
    assert client.get(RESET).status_code == 200


def test_the_reset_email_is_owed_in_the_database_and_sent_once(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = ask(client, "EDITOR@example.org")
    assert response.status_code == 302
    assert response["Location"] == DONE
    email = owed()
    assert email.recipients() == ["editor@example.org"]
    assert email.sent_at is None
    assert PasswordReset.objects.get(email=email).user == staff
    # Queued once the request's transaction commits, as every owed email.
    assert len(queued) == 1
    assert mail.outbox == []

    assert send_twice(email) == [True, False]
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "Set a new password for Jointly"
    assert "staff account editor." in message.body
    link = link_in_mail("/accounts/password/reset/key/")
    uid = user_pk_to_url_str(staff)
    assert link.startswith(f"http://127.0.0.1:8000/accounts/password/reset/key/{uid}-")
    [(html, _)] = message.alternatives
    assert f'<a href="{link}">' in html


def test_the_link_shows_a_form_and_works_once(client, staff):
    ask(client, "editor@example.org")
    outgoing_email_send(email_id=owed().pk)
    link = link_in_mail("/accounts/password/reset/key/").removeprefix("http://127.0.0.1:8000")

    page, response = set_password(client, link)
    assert 'name="password1"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    # Not signed in by it: the next sign-in asks for the second factor too.
    assert "_auth_user_id" not in client.session

    response = client.get(link)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert "Bad Token" in page.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_the_link_expires(client, staff, monkeypatch, settings):
    ask(client, "editor@example.org")
    outgoing_email_send(email_id=owed().pk)
    link = link_in_mail("/accounts/password/reset/key/").removeprefix("http://127.0.0.1:8000")
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = client.get(link)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert "Bad Token" in page.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_a_link_made_before_the_password_changed_no_longer_works(client, staff):
    ask(client, "editor@example.org")
    outgoing_email_send(email_id=owed().pk)
    link = link_in_mail("/accounts/password/reset/key/").removeprefix("http://127.0.0.1:8000")
    staff.set_password("changed meanwhile in the admin")
    staff.save()
    response = client.get(link)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert "Bad Token" in page.content.decode()


@pytest.mark.parametrize(
    "address", ["nobody@example.org", "outsider@example.org", "former@example.org"]
)
def test_the_page_never_says_whether_an_address_belongs_to_staff(client, address):
    User.objects.create_user("outsider", "outsider@example.org", PASSWORD)
    User.objects.create_user(
        "former", "former@example.org", PASSWORD, is_staff=True, is_active=False
    )
    response = ask(client, address)
    assert response.status_code == 302
    assert response["Location"] == DONE
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_the_page_after_asking_says_the_same_for_every_address(client, staff):
    known = client.get(ask(client, "editor@example.org")["Location"]).content.decode()
    unknown = client.get(ask(client, "nobody@example.org")["Location"]).content.decode()
    # Each page has its own CSRF token in the language form.
    assert CSRF.sub("", known) == CSRF.sub("", unknown)


def test_the_email_is_in_the_language_it_was_asked_in(client, staff):
    client.cookies["django_language"] = "ar"
    ask(client, "editor@example.org")
    assert PasswordReset.objects.get().language == "ar"
    outgoing_email_send(email_id=owed().pk)
    [message] = mail.outbox
    assert "password" not in message.subject
    [(html, _)] = message.alternatives
    assert '<html lang="ar" dir="rtl">' in html


def test_an_email_whose_account_was_deleted_is_given_up(client, staff):
    ask(client, "editor@example.org")
    email = owed()
    staff.delete()
    assert outgoing_email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.failed_at is not None
    assert mail.outbox == []
