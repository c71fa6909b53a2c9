"""Steps the browser tests share."""

from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def sign_in_with_password(page: Page, base_url: str, username: str) -> None:
    """The first step of signing in, where the admin sends staff (allauth's form)."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log in through the sign-in form, as staff do (with no second factor enrolled)."""
    sign_in_with_password(page, base_url, username)
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


AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def axe_violations(page: Page) -> list[dict]:
    """What axe-core finds wrong on the page as it is now, with its default rules (WCAG 2.x
    A and AA, and best practices such as landmarks).

    Our copy of axe is evaluated through the DevTools protocol, which the page's Content
    Security Policy does not govern: the page is checked under its real policy, as visitors
    get it, rather than in a browser context told to bypass it.
    """
    page.evaluate(AXE_SOURCE + "\n;undefined")
    return page.evaluate("axe.run(document).then(result => result.violations)")


def axe_report(violations: list[dict]) -> str:
    """The violations readably: each rule once, with how to fix it, then where it fails."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)}×): {violation['help']}"
        )
        lines.append("  " + nodes[0]["failureSummary"].replace("\n", "\n  "))
        lines.extend(
            f"  - {' '.join(node['target'])}: {' '.join(node['html'].split())[:120]}"
            for node in nodes
        )
    return "\n".join(lines)
