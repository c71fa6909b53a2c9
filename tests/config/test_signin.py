"""Signing in to the admin: guessing is locked out, idle sessions end, signing out is one click."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from statements.models import Statement
from tests.conftest import PASSWORD
from tests.factories import make_statement

pytestmark = pytest.mark.django_db

# allauth's sign-in, where the admin's login leads (so that the second factor is asked).
LOGIN = "/accounts/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)


def sign_in(client, username, password=PASSWORD, address="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        response = sign_in(client, username, "not the password", address)
        # The login form again, with its error.
        assert response.status_code == 200
        assert 'class="errorlist nonfield"' in response.content.decode()


def lock_out(client, username, address="203.0.113.7"):
    """Fail as often as allowed: the last failure is answered with the lockout page."""
    fail(client, username, 2, address)
    assert sign_in(client, username, "not the password", address).status_code == 429


def test_the_admin_login_leads_to_the_sign_in_that_asks_for_the_second_factor(client):
    response = client.get("/admin/login/?next=/admin/statements/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fstatements%2F"
    assert client.get(response["Location"]).status_code == 200


def test_a_right_password_signs_in(client, staff):
    response = sign_in(client, "editor")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_last_allowed_failure_locks_the_account_even_with_the_right_password(client, staff):
    fail(client, "editor", 2)
    response = sign_in(client, "editor", "not the password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is locked" in html
    assert "Try again in 30 minutes" in html

    response = sign_in(client, "editor", address="198.51.100.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_lock_out_every_account_from_it(client, staff):
    User.objects.create_user("other", "other@example.org", PASSWORD, is_staff=True)
    fail(client, "nobody", 1)
    fail(client, "someone", 1)
    assert sign_in(client, "guess", "not the password").status_code == 429

    assert sign_in(client, "other").status_code == 429
    assert sign_in(client, "other", address="198.51.100.9").status_code == 302


def test_without_an_address_failures_count_per_account_only(client, staff):
    # Behind a proxy without RATELIMIT_IP_META_KEY: one shared count would lock everyone out.
    for name in ["nobody", "someone", "guess", "another"]:
        assert sign_in(client, name, "not the password", address="").status_code == 200
    assert sign_in(client, "editor", address="").status_code == 302


def test_the_lockout_page_is_in_arabic_for_arabic_staff(client, staff):
    client.cookies["django_language"] = "ar"
    fail(client, "editor", 2)
    response = sign_in(client, "editor", "not the password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is locked" not in html
    assert "دقيقة" in html


def test_a_success_before_the_limit_forgets_the_failures(client, staff):
    fail(client, "editor", 2)
    assert sign_in(client, "editor").status_code == 302
    client.logout()
    fail(client, "editor", 2)
    assert sign_in(client, "editor").status_code == 302


def test_the_account_opens_again_after_the_cool_off(client, staff):
    lock_out(client, "editor")
    assert sign_in(client, "editor").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "editor").status_code == 302


def test_a_superuser_unlocks_an_account_in_the_admin(client, staff):
    User.objects.create_user("locked", "locked@example.org", PASSWORD, is_staff=True)
    lock_out(client, "locked", address="198.51.100.9")
    assert sign_in(client, "locked", address="198.51.100.9").status_code == 429

    client.force_login(staff)
    changelist = client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert "locked" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="locked")
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    client.logout()
    assert sign_in(client, "locked", address="198.51.100.9").status_code == 302


def test_the_reset_command_unlocks_an_account(client, staff):
    lock_out(client, "editor")
    call_command("axes_reset_username", "editor")
    assert sign_in(client, "editor", address="198.51.100.9").status_code == 302


def test_staff_without_superuser_rights_cannot_unlock(client, viewer):
    # Someone else, in another browser: allauth sends the signed-in viewer away from its form.
    lock_out(Client(), "editor")
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_an_idle_session_ends(client, staff, settings):
    assert sign_in(client, "editor").status_code == 302
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_each_request_moves_the_end_of_the_session(client, staff):
    assert sign_in(client, "editor").status_code == 302
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get().expire_date > soon


def test_the_idle_time_is_the_session_cookie_age(settings):
    assert settings.SESSION_COOKIE_AGE == settings.STAFF_SESSION_IDLE_MINUTES * 60


def test_a_stale_session_cookie_starts_no_session_on_public_pages(client):
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/")
    assert response.status_code == 200
    # Django deletes the cookie of an ended session.
    assert response.cookies["sessionid"].value == ""
    assert not Session.objects.exists()


def test_signing_out_is_one_button_on_every_admin_page(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert '<form id="logout-form" method="post" action="/admin/logout/">' in html
    response = staff_client.post("/admin/logout/")
    assert response.status_code == 200
    assert staff_client.get("/admin/").status_code == 302


def test_public_pages_start_no_session(client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    for url in ["/", statement.get_absolute_url(), "/ar/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
    assert not Session.objects.exists()
