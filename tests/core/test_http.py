"""HEAD answers carry GET's headers and no body, as gunicorn gets them from the site.

The test client drops the body of a HEAD answer itself, as Django's development server
does, so these requests go to the WSGI application that gunicorn calls.
"""

from contextlib import contextmanager
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from statements.models import Statement
from tests.factories import make_signatures, make_statement

pytestmark = pytest.mark.django_db


@contextmanager
def connection_kept():
    # The handler closes the database connection around each request, and with it the
    # test's transaction: the test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi(method: str, path: str, **environ) -> tuple[str, dict[str, str], bytes]:
    """The status, headers and every byte of the body the application gives the server."""
    setup_testing_defaults(environ)
    environ |= {"REQUEST_METHOD": method, "PATH_INFO": path}
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    with connection_kept():
        result = get_wsgi_application()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    return started["status"], started["headers"], body


def assert_head_is_get_without_body(path: str, **environ) -> dict[str, str]:
    # One request id for both, or each answer would carry its own (core/requestid.py).
    environ.setdefault("HTTP_X_REQUEST_ID", "head-or-get-0001")
    get_status, get_headers, get_body = wsgi("GET", path, **environ)
    head_status, head_headers, head_body = wsgi("HEAD", path, **environ)
    assert get_body
    assert head_body == b""
    assert (head_status, head_headers) == (get_status, get_headers)
    assert head_headers["Content-Length"] == str(len(get_body))
    return head_headers


def test_head_of_a_page_has_the_headers_of_get_and_no_body():
    make_statement(status=Statement.Status.PUBLISHED)
    assert_head_is_get_without_body("/")


def test_head_of_a_missing_page_has_no_body_either():
    get_status, _, get_body = wsgi("GET", "/statements/none/")
    head_status, _, head_body = wsgi("HEAD", "/statements/none/")
    assert get_status == head_status == "404 Not Found"
    assert get_body and head_body == b""


def test_head_of_a_cached_page_has_the_headers_of_get_and_no_body(page_cache):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    make_signatures(statement, 3)
    path = statement.get_absolute_url()
    wsgi("GET", path)  # kept in the cache
    headers = assert_head_is_get_without_body(path)
    assert headers["X-Page-Cache"] == "hit"
    gzipped = assert_head_is_get_without_body(path, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_head_of_a_pdf_has_the_headers_of_get_and_no_body():
    statement = make_statement(status=Statement.Status.PUBLISHED)
    assert_head_is_get_without_body(f"/statements/{statement.slug}.pdf")
