"""A release as text: from a paste or an uploaded file, refusing what is not what it says.

Plain text and Markdown are read as they are; HTML (pasted from a word processor, or
saved as .html), .docx (through mammoth) and .odt (its content.xml) become Markdown.
"""

import io
import re
import zipfile
from pathlib import Path

import mammoth
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .html import html_to_markdown, looks_like_html

MAX_BYTES = 5_000_000
# A zip that unpacks to more than this is not a release, whatever its name.
MAX_UNPACKED_BYTES = 50_000_000
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".odt"}
# Word's own paragraph styles for a title and a sub-title become headings, so the parser
# can tell a headline and a standfirst from the body.
_DOCX_STYLES = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => h2:fresh",
    ]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _too_large():
    return ValidationError(
        _("The release is too large: it must be smaller than 5 MB."), code="too_large"
    )


def _not_what_it_says(name: str):
    return ValidationError(
        _("“%(name)s” is not what its name says: it cannot be read as a release."),
        code="wrong_type",
        params={"name": name},
    )


def _damaged(name: str):
    return ValidationError(
        _("“%(name)s” is damaged and cannot be read."), code="corrupt", params={"name": name}
    )


def text_decode(data: bytes, *, name: str) -> str:
    """Bytes of a text file as text; a binary file (or one in no known encoding) is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if "\ufffd" in text:
                raise _not_what_it_says(name) from None
    if _CONTROL.search(text):
        raise _not_what_it_says(name)
    return text


def _zip_open(data: bytes, *, name: str, member: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A zip's signature with a broken archive after it is a damaged document.
        raise (_damaged(name) if data.startswith(b"PK") else _not_what_it_says(name)) from None
    if member not in names:
        raise _not_what_it_says(name)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_large()
    return archive


def _docx_read(data: bytes, *, name: str) -> str:
    _zip_open(data, name=name, member="word/document.xml")
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_DOCX_STYLES,
            # Pictures are left out: a statement's image is uploaded on its own.
            convert_image=mammoth.images.img_element(lambda image: {}),
        )
    except Exception as error:
        # mammoth raises whatever its XML and zip readers raise on a broken document;
        # each of them means the same thing to the person who uploaded it.
        raise _damaged(name) from error
    return html_to_markdown(result.value)


def _odt_read(data: bytes, *, name: str) -> str:
    archive = _zip_open(data, name=name, member="content.xml")
    try:
        xml = archive.read("content.xml").decode("utf-8")
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, zipfile.LargeZipFile):
        raise _damaged(name) from None
    # OpenDocument's paragraphs, headings, list items and breaks map onto HTML's.
    xml = re.sub(r"<text:(h|p)\b[^>]*?/>", "", xml)
    xml = re.sub(r"<text:h\b[^>]*>", "<h2>", xml).replace("</text:h>", "</h2>")
    xml = re.sub(r"<text:p\b[^>]*>", "<p>", xml).replace("</text:p>", "</p>")
    xml = re.sub(r"<text:list-item\b[^>]*>", "<li>", xml).replace("</text:list-item>", "</li>")
    xml = re.sub(r"<text:list\b[^>]*>", "<ul>", xml).replace("</text:list>", "</ul>")
    xml = re.sub(r"<text:line-break\s*/>", "<br>", xml)
    xml = re.sub(r"<text:(s|tab)\b[^>]*/>", " ", xml)
    xml = re.sub(r'<text:a\b[^>]*xlink:href="([^"]*)"[^>]*>', r'<a href="\1">', xml)
    xml = xml.replace("</text:a>", "</a>")
    xml = re.sub(
        r"<office:(automatic-styles|font-face-decls)\b.*?</office:\1>", "", xml, flags=re.S
    )
    return html_to_markdown(xml)


def upload_read(upload) -> str:
    """An uploaded file (a Django UploadedFile, or a path) as Markdown-ish text."""
    if isinstance(upload, str | Path):
        path = Path(upload)
        name = path.name
        if path.stat().st_size >= MAX_BYTES:
            raise _too_large()
        data = path.read_bytes()
    else:
        name = Path(upload.name or "").name
        if upload.size is not None and upload.size >= MAX_BYTES:
            raise _too_large()
        upload.seek(0)
        data = upload.read(MAX_BYTES)
    if len(data) >= MAX_BYTES:
        raise _too_large()
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(
            _("“%(name)s” is not a file the importer reads: use .txt, .md, .html, .docx or .odt."),
            code="unsupported",
            params={"name": name},
        )
    if suffix == ".docx":
        return _docx_read(data, name=name)
    if suffix == ".odt":
        return _odt_read(data, name=name)
    if data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise _not_what_it_says(name)
    text = text_decode(data, name=name)
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        return html_to_markdown(text)
    return text


def paste_read(text: str) -> str:
    if len(text.encode("utf-8")) >= MAX_BYTES:
        raise _too_large()
    if _CONTROL.search(text):
        raise ValidationError(
            _("The pasted text holds characters that are not text."), code="binary"
        )
    return html_to_markdown(text) if looks_like_html(text) else text
