"""Absolute addresses on the public site, for emails, feeds, the API and share cards.

Made from SITE_URL, never from the request: pages are cached and served to every
host name the site answers on, and what is sent or shared must point at the public one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import iri_to_uri


def absolute(path: str) -> str:
    """The public address of a path on this site; an address that is already whole stays."""
    return path if urlsplit(path).scheme else settings.SITE_URL + iri_to_uri(path)


def absolute_reverse(name: str, *args) -> str:
    return absolute(reverse(name, args=args))
