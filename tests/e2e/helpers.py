"""Steps the browser tests share."""

from playwright.sync_api import Page, expect

PASSWORD = "a long enough test password"


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the admin's own form, as staff do."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Statements, organizations and campaigns")
    ).to_be_visible()
