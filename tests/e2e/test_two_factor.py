"""Two-factor sign-in in a real browser: enrolling an authenticator app from the admin,
then signing in with its code, computed here as the app would (RFC 6238)."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import (
    axe_report,
    axe_violations,
    collect_errors,
    log_in,
    sign_in_with_password,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp(secret: str) -> str:
    """The six-digit code of an authenticator app for a base32 secret: HMAC-SHA1 of the
    current 30-second step, dynamically truncated (RFC 4226, section 5.3).

    A code read in a step's last seconds may reach the server in the next one, which
    (allauth's tolerance being none) refuses it: then the code of the next step is read,
    as a person would wait for the app's next code."""
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30)
    step = int(time.time() // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_staff_enrol_an_authenticator_app_from_the_admin_then_sign_in_with_its_code(
    live_server, staff, page: Page, settings
):
    errors = collect_errors(page)
    for path in ["/accounts/login/", "/accounts/password/reset/"]:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        assert not violations, axe_report(violations)
    log_in(page, live_server.url, staff.username)

    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before a factor is added.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, axe_report(violations)
    # The secret the QR code holds, also shown as text for typing into the app.
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert Authenticator.objects.filter(user=staff, type="totp").exists()

    page.get_by_role("link", name="Back to the admin").click()
    page.get_by_role("button", name="Log out").click()

    # Required from now on: the code is asked after the password, and a wrong one refused.
    settings.STAFF_2FA_REQUIRED = True
    sign_in_with_password(page, live_server.url, staff.username)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill("000000" if totp(secret) != "000000" else "111111")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, axe_report(violations)

    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_role("heading", name="Statements, organizations and campaigns")
    ).to_be_visible()
    assert errors == []


def test_staff_add_a_security_key_then_sign_in_with_it(live_server, staff, page: Page, settings):
    # Chromium's virtual authenticator stands in for a key or a phone's passkey, touched at once.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    # The live server speaks http: allowed for WebAuthn as under `make run` (DEBUG).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    errors = collect_errors(page)
    log_in(page, live_server.url, staff.username)

    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("link", name="Add").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    # allauth binds its buttons (type="button") when the document has loaded; a click
    # before that does nothing.
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert Authenticator.objects.filter(user=staff, type="webauthn").exists()

    page.get_by_role("link", name="Back to the admin").click()
    page.get_by_role("button", name="Log out").click()
    settings.STAFF_2FA_REQUIRED = True
    sign_in_with_password(page, live_server.url, staff.username)
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="Use a security key").click()
    expect(
        page.get_by_role("heading", name="Statements, organizations and campaigns")
    ).to_be_visible()
    assert errors == []
