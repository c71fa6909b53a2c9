"""Real headless Chromium for the end-to-end tests, driven by Playwright's sync API.

Chromium is Debian's (CHROMIUM_PATH, /usr/bin/chromium by default): the tests run without
internet, so Playwright's own browser download is never used.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; module scope stops Playwright's event loop after it."""
    if not (Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH to its executable.",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio event loop running in the test thread, so
        # Django's async-safety check would refuse every ORM call made there (creating
        # users, reading back statements, flushing the database). The ORM still runs
        # synchronously, one thread at a time, which is what the check protects. Set only
        # while the loop runs: set at import, it would leak into the other tests' processes
        # and fail `manage.py check --deploy` (async.E001).
        patch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context: no cookies, so nobody is logged in."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def visitor_page(browser):
    """A second, separate logged-out page, for what the public sees."""
    context = browser.new_context()
    yield context.new_page()
    context.close()
