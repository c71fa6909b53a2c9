"""PDFs made by WeasyPrint from our own HTML, with nothing fetched over the network.

Laying out a PDF takes a good part of a second, so the bytes are cached under a hash
of the HTML they come from: every change that shows in a statement's PDF (the text, a
new signatory, a renamed organization, a new press contact) makes new HTML, hence a
new key, while a spike of readers of an unchanged statement is served from the cache.

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
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from core.links import absolute

PDF_CACHE_SECONDS = 24 * 60 * 60
# Tagged: the PDF carries the structure of the HTML (headings, paragraphs, lists, links,
# figures with their text) for screen readers and reflow, and its language from <html lang>.
# Not the PDF/UA variant, which claims a conformance that no tool here checks.
PDF_OPTIONS = {"pdf_tags": True}


@once
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            path = local_path(url)
            if path is None:
                raise ValueError(f"Only the site's own files are fetched, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return LocalFilesFetcher


def local_files_fetcher():
    """A WeasyPrint fetcher that serves our own static and uploaded files from disk and
    refuses every other URL.

    WeasyPrint would otherwise fetch whatever a document points at, over the network;
    a refused URL only leaves its image out (WeasyPrint logs a warning).
    """
    return _fetcher_class()()


def local_path(url: str) -> Path | None:
    """The file on disk behind one of our static or media URLs; None for anything else."""
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
        elif path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
            found = default_storage.path(name) if default_storage.exists(name) else None
        else:
            return None
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and Path(found).is_file() else None


def pdf_render(*, html: str) -> bytes:
    """The PDF of a page of HTML, from the cache when the same HTML was rendered before."""
    import weasyprint

    # The options are in the key, so that a PDF made with other options is made again.
    made_by = f"{weasyprint.__version__} {sorted(PDF_OPTIONS.items())}"
    digest = hashlib.sha256(f"{made_by}\n{html}".encode()).hexdigest()
    key = f"pdf:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        document = weasyprint.HTML(
            string=html, base_url=absolute("/"), url_fetcher=local_files_fetcher()
        )
        pdf = document.write_pdf(**PDF_OPTIONS)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
