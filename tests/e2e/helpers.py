"""Steps the browser tests share."""

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the admin's own form, as staff do."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Statements, organizations and campaigns")
    ).to_be_visible()


def collect_errors(page: Page) -> list[str]:
    """Console errors (Content Security Policy violations among them) and uncaught exceptions."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def local(link: str, base_url: str) -> str:
    """An emailed link, pointed at the live server instead of SITE_URL."""
    assert link.startswith(settings.SITE_URL + "/"), link
    return base_url + link.removeprefix(settings.SITE_URL)
