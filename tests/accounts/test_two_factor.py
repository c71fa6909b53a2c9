"""Two-factor sign-in (django-allauth's MFA): staff are sent to enrol when it is required,
and once enrolled every sign-in asks for the second factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next=/admin/"
ENROL = "/accounts/2fa/totp/activate/"
SECOND_STEP = "/accounts/2fa/authenticate/"


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def totp_code(secret: str) -> str:
    """The authenticator app's code of the moment (RFC 6238: 30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, username="editor", password=PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def enrolled(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def reauthenticate(client, then=ENROL):
    """allauth asks for the password again before a factor is added or removed."""
    response = client.get(then)
    assert response["Location"] == f"/accounts/reauthenticate/?next={then.replace('/', '%2F')}"
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == then


def test_staff_without_a_second_factor_are_sent_to_enrol_before_any_admin_page(
    client, staff, required
):
    client.force_login(staff)
    for url in ["/admin/", "/admin/statements/statement/", "/admin/auth/user/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ENROL
    reauthenticate(client)
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set up two-factor sign-in before you work in the admin." in html
    assert 'src="data:image/svg+xml;base64,' in html


def test_the_public_site_and_signing_out_are_not_held_back(client, staff, required):
    client.force_login(staff)
    assert client.get("/").status_code == 200
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_enrolling_an_authenticator_app_opens_the_admin(client, staff, required):
    response = sign_in(client)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == ENROL
    reauthenticate(client)

    client.get(ENROL)
    # The secret the page shows (as a QR code and as text) is kept in the session.
    secret = client.session["mfa.totp.secret"]
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    assert client.post(ENROL, {"code": wrong}).status_code == 200
    assert not Authenticator.objects.exists()
    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response.status_code == 302
    # Recovery codes are made with the first authenticator, and shown once.
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert set(Authenticator.objects.values_list("type", flat=True)) == {"totp", "recovery_codes"}
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_staff_member_is_asked_for_a_code_and_a_wrong_one_is_refused(client, staff):
    secret = enrolled(staff)
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    # The password alone signs nobody in.
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(SECOND_STEP, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(SECOND_STEP, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_guessing_codes_is_stopped_after_five_wrong_ones(client, staff):
    secret = enrolled(staff)
    sign_in(client)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    for _ in range(5):
        assert "Incorrect code." in client.post(SECOND_STEP, {"code": wrong}).content.decode()
    response = client.post(SECOND_STEP, {"code": totp_code(secret)})
    assert response.status_code == 200
    assert "Too many failed login attempts." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_works_once(client, staff):
    secret = enrolled(staff)
    code = totp_code(secret)
    sign_in(client)
    assert client.post(SECOND_STEP, {"code": code}).status_code == 302
    client.post("/admin/logout/")

    sign_in(client)
    assert client.post(SECOND_STEP, {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, staff):
    enrolled(staff)
    code = RecoveryCodes.activate(staff).get_unused_codes()[0]
    sign_in(client)
    response = client.post(SECOND_STEP, {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    sign_in(client)
    response = client.post(SECOND_STEP, {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_the_requirement_off_staff_work_without_a_second_factor(client, staff, settings):
    settings.STAFF_2FA_REQUIRED = False
    response = sign_in(client)
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_enrolled_staff_work_in_the_admin_when_it_is_required(client, staff, required):
    enrolled(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_admin_header_links_to_two_factor_sign_in(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert '<a href="/accounts/2fa/">Two-factor sign-in</a>' in html
    page = staff_client.get("/accounts/2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    # allauth's page in the admin's look, with the way back.
    assert 'href="/static/admin/css/base.css"' in html
    assert '<a href="/admin/">Back to the admin</a>' in html
    for link in ["/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"]:
        assert link in html


def test_the_two_factor_pages_are_in_arabic_for_arabic_staff(staff_client):
    staff_client.cookies["django_language"] = "ar"
    html = staff_client.get("/accounts/2fa/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Two-Factor Authentication" not in html
    assert "توثيق ذو عاملين" in html  # allauth's own Arabic


def test_a_superuser_removes_the_authenticators_of_someone_who_lost_their_device(
    staff_client, staff, required
):
    enrolled(staff)
    colleague = User.objects.create_user("lost", "lost@example.org", PASSWORD, is_staff=True)
    enrolled(colleague)
    RecoveryCodes.activate(colleague)
    ids = list(Authenticator.objects.filter(user=colleague).values_list("pk", flat=True))

    response = staff_client.post(
        "/admin/mfa/authenticator/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=colleague).exists()
    # Their next sign-in asks only the password, then sends them to enrol again.
    other = type(staff_client)()
    assert other.post(LOGIN, {"login": "lost", "password": PASSWORD})["Location"] == "/admin/"
    assert other.get("/admin/")["Location"] == ENROL


def test_staff_who_are_not_superusers_cannot_remove_authenticators(client, viewer):
    assert client.get("/admin/mfa/authenticator/").status_code == 403


def test_someone_who_is_not_staff_is_refused_the_admin_after_signing_in(client):
    User.objects.create_user("outsider", "outsider@example.org", PASSWORD)
    response = sign_in(client, "outsider")
    assert response.status_code == 302
    assert client.get("/admin/login/").status_code == 403


def test_staff_cannot_change_where_their_password_reset_goes(staff_client):
    # allauth's page for adding email addresses is closed: superusers set them.
    assert staff_client.get("/accounts/email/").status_code == 404
    response = staff_client.post(
        "/accounts/email/", {"email": "thief@example.org", "action_add": ""}
    )
    assert response.status_code == 404
