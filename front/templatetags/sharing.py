from django import template

from core import links
from front import sharing
from statements import pdf

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """The public address of a path on this site, made from SITE_URL.

    Never from the request: pages are cached and served to every host name the
    site answers on, and what is shared must point at the public one.
    """
    return links.absolute(path)


@register.filter
def pdf_media(upload) -> str:
    """An uploaded file's address in a PDF's HTML (statements.pdf.pdf_media_url)."""
    return pdf.pdf_media_url(upload.name)


@register.filter
def og_locale(language: str) -> str:
    return sharing.OG_LOCALES.get(language, "en_US")


@register.simple_tag
def share_links(url: str, title: str) -> list[sharing.ShareLink]:
    return sharing.share_links(url=url, title=title)
