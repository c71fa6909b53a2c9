"""PDFs made by WeasyPrint from our own HTML, with nothing fetched over the network: the
statement's, for its page (front) and for the email that delivers it to decision makers.

Laying out a PDF takes a good part of a second, so the bytes are cached under a hash
of the HTML they come from: every change that shows in a statement's PDF (the text, a
new signatory, a renamed organization, a new press contact) makes new HTML, hence a
new key, while a spike of readers of an unchanged statement is served from the cache.
What the PDF says about its own making ("List as of 2 December 2026, 09:00") is left
out of the key and put in when it is laid out: a cached PDF says when it was made, and
its list has not changed since.

Importing WeasyPrint takes seconds (it loads Pango and fontconfig): it is imported
when the first PDF is made, not at start-up.
"""

import hashlib
import mimetypes
from functools import cache as once
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri
from django.utils.formats import date_format

from core.languages import interface_language
from core.links import absolute
from statements.models import Statement
from statements.selectors import individuals_page, statement_context

PDF_CACHE_SECONDS = 24 * 60 * 60
# Tagged: the PDF carries the structure of the HTML (headings, paragraphs, lists, links,
# figures with their text) for screen readers and reflow, and its language from <html lang>.
# Not the PDF/UA variant, which claims a conformance that no tool here checks.
PDF_OPTIONS = {"pdf_tags": True}


@once
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            found = own_file(url)
            if found is None:
                raise ValueError(f"Only the site's own files are fetched, not {url}")
            name, content = found
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, content, {"Content-Type": content_type})

    return OwnFilesFetcher


def local_files_fetcher():
    """A WeasyPrint fetcher that serves our own static files from disk and uploaded files
    from their storage (the disk or the object store), and refuses every other URL.

    WeasyPrint would otherwise fetch whatever a document points at, over the network;
    a refused URL only leaves its image out (WeasyPrint logs a warning).
    """
    return _fetcher_class()()


def pdf_media_url(name: str) -> str:
    """The address the PDF's HTML gives an uploaded file: on our site, whatever the storage.

    The fetcher reads it back through the storage. A signed object store address would
    change at every rendering, and with it the HTML the cached PDF is found by.
    """
    return absolute(settings.MEDIA_URL + name)


def own_file(url: str) -> tuple[str, bytes] | None:
    """The name and bytes of one of our static or uploaded files at this URL; None for
    anything else."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    path = unquote(parts.path)
    try:
        if path.startswith(settings.STATIC_URL):
            name = path.removeprefix(settings.STATIC_URL)
            # The source folders first; STATIC_ROOT for the hashed names of collectstatic.
            found = finders.find(name)
            if found is None and staticfiles_storage.exists(name):
                found = staticfiles_storage.path(name)
            if not (found and Path(found).is_file()):
                return None
            return name, Path(found).read_bytes()
        if path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
            with default_storage.open(name) as upload:
                return name, upload.read()
    except (SuspiciousOperation, FileNotFoundError, IsADirectoryError):
        return None
    return None


# Where the HTML says when the PDF is made: replaced only when it is laid out.
MADE_AT = "%%pdf-made-at%%"


def pdf_render(*, html: str, made_at: str = "") -> bytes:
    """The PDF of a page of HTML, from the cache when the same HTML was rendered before;
    made_at (a date and time in words) stands in the HTML's MADE_AT when it is laid out."""
    import weasyprint

    # The options are in the key, so that a PDF made with other options is made again.
    made_by = f"{weasyprint.__version__} {sorted(PDF_OPTIONS.items())}"
    digest = hashlib.sha256(f"{made_by}\n{html}".encode()).hexdigest()
    key = f"pdf:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        document = weasyprint.HTML(
            string=html.replace(MADE_AT, made_at),
            base_url=absolute("/"),
            url_fetcher=local_files_fetcher(),
        )
        pdf = document.write_pdf(**PDF_OPTIONS)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def statement_pdf(statement: Statement) -> bytes:
    """The public statement as a PDF: its text, signatories and address, labelled, dated
    and numbered in its own language, whatever the language of who asks."""
    # Printed as readers type it: in its own script, not percent-encoded.
    page_url = uri_to_iri(absolute(statement.get_absolute_url()))
    context = statement_context(statement) | {"page_url": page_url, "listed_at": MADE_AT}
    # Every individual, in one query however many they are.
    counts = context["signatory_counts"]
    context["individuals"] = individuals_page(
        statement, per_page=max(counts["individuals"], 1)
    ).rows
    # Labels, dates and numbers in the statement's language, whatever the address.
    with translation.override(interface_language(statement.language)):
        html = render_to_string("front/statement_pdf.html", context)
        made_at = date_format(timezone.localtime(), "j F Y, H:i T")
    return pdf_render(html=html, made_at=made_at)
