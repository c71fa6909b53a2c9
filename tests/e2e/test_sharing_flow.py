"""Staff copy a statement's embed code, and a partner's page on another site shows the card."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from statements.models import Signature, Statement
from tests.e2e.helpers import collect_errors, log_in
from tests.factories import make_signatures, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partner_site():
    """Another site, on another origin: it serves the HTML it is given at its home page.

    A real server on 127.0.0.1, not a page Playwright makes up: Chromium lets only a
    local page frame the local live server.
    """
    pages = {"body": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            html = f"<!doctype html><title>Partner</title>{pages['body']}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(body: str) -> str:
        pages["body"] = body
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    server.shutdown()
    server.server_close()


def test_a_partner_site_shows_the_card_staff_copied_from_the_admin(
    live_server, settings, browser, staff, visitor_page: Page, partner_site
):
    base = live_server.url
    # The embed code points at SITE_URL: here, the live server.
    settings.SITE_URL = base
    statement = make_statement(
        status=Statement.Status.PUBLISHED, title="Keep the river clean", slug="river"
    )
    make_signatures(statement, 1, role=Signature.Role.ISSUER)
    make_signatures(statement, 4)

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = collect_errors(page)
    log_in(page, base, staff.username)
    page.goto(f"{base}/admin/statements/statement/{statement.pk}/change/")
    page.get_by_role("button", name="Copy the code").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    code = page.evaluate("navigator.clipboard.readText()")
    assert code == page.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{base}/statements/river/embed/"')
    assert errors == []
    context.close()

    visitor_page.goto(partner_site(code))
    card = visitor_page.frame_locator("iframe")
    expect(card.get_by_role("heading", name="Keep the river clean")).to_be_visible()
    expect(card.get_by_text("Signed by 4 organizations")).to_be_visible()
    link = card.get_by_role("link", name="Read the statement")
    with visitor_page.context.expect_page() as opened:
        link.click()
    expect(opened.value).to_have_url(f"{base}/statements/river/")


def test_no_other_page_of_the_site_shows_inside_another_site(
    live_server, visitor_page: Page, partner_site
):
    statement = make_statement(status=Statement.Status.PUBLISHED, slug="framed")
    embed = f"{live_server.url}/statements/framed/embed/"
    page = f"{live_server.url}{statement.get_absolute_url()}"
    frames = f'<iframe src="{embed}"></iframe><iframe src="{page}"></iframe>'
    # goto waits for the load event, which waits for both frames.
    visitor_page.goto(partner_site(frames))
    expect(visitor_page.frame_locator("iframe").first.get_by_role("heading")).to_be_visible()
    # The browser refused the page and put its own error page in the frame instead.
    urls = [frame.url for frame in visitor_page.frames]
    assert embed in urls
    assert page not in urls


def test_readers_print_or_download_a_statement(live_server, visitor_page: Page):
    statement = make_statement(status=Statement.Status.PUBLISHED, slug="printed")
    errors = collect_errors(visitor_page)
    visitor_page.goto(f"{live_server.url}{statement.get_absolute_url()}")
    # The Print button exists only for browsers that run the page's script.
    expect(visitor_page.get_by_role("button", name="Print")).to_be_visible()
    link = visitor_page.get_by_role("link", name="Download PDF")
    response = visitor_page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert errors == []
