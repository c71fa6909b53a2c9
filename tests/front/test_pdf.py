import datetime
import io
import re
import socket
import zlib

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from organizations.models import Organization
from statements import pdf
from statements.models import SignatoryGroup, Signature, Statement
from tests.factories import (
    make_full_statement,
    make_individuals,
    make_organization,
    make_signatures,
    make_statement,
)

pytestmark = pytest.mark.django_db


def pdf_streams(data: bytes) -> list[bytes]:
    """The PDF's compressed streams, decompressed: page contents, fonts' maps and the
    object streams that hold the document's catalog and structure."""
    streams = []
    # Read as many bytes as the stream's /Length says: compressed data may hold anything.
    for match in re.finditer(rb"/Length (\d+)[^<>]*>>\s*stream\r?\n", data):
        start = match.end()
        try:
            streams.append(zlib.decompress(data[start : start + int(match.group(1))]))
        except zlib.error:
            continue  # not compressed: an image, say
    return streams


def pdf_text(data: bytes) -> str:
    """The text shown in a PDF made by WeasyPrint, one line per text run.

    WeasyPrint writes glyph ids of subset fonts, not characters, and keeps each font's
    glyph-to-character map (ToUnicode) in a compressed stream. Each run of glyphs is in
    one font: it is decoded with the first map that knows all its glyphs. Right-to-left
    runs come out in visual order, that is reversed.
    """
    streams = pdf_streams(data)
    maps = [
        {
            int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for glyph, text in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", stream)
        }
        for stream in streams
        if b"beginbfchar" in stream
    ]
    lines = []
    for stream in streams:
        for run in re.findall(rb"\[([^\]]*)\] TJ", stream):
            hexes = b"".join(re.findall(rb"<([0-9a-f]*)>", run))
            glyphs = [int(hexes[i : i + 4], 16) for i in range(0, len(hexes), 4)]
            known = next((m for m in maps if all(g in m for g in glyphs)), None)
            lines.append("".join(known[g] for g in glyphs) if known else "")
    return "\n".join(lines)


def png_upload(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_url(statement: Statement) -> str:
    return reverse("statement_pdf", args=[statement.slug])


@pytest.fixture
def renders(monkeypatch):
    """How many PDFs WeasyPrint laid out."""
    calls = []
    write_pdf = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(self)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


def test_the_pdf_is_served_inline_under_the_statement_s_name(client):
    statement = make_statement(status=Statement.Status.PUBLISHED, slug="market-strike")
    response = client.get(pdf_url(statement))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="market-strike.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert pdf_url(statement) == "/statements/market-strike.pdf"


def test_the_pdf_holds_the_statement_its_signatories_and_press_contacts(client, settings):
    settings.SITE_URL = "https://statements.example.org"
    statement = make_full_statement()
    for name in ["Friends of the Market", "Union of Bakers", "Relief Now"]:
        Signature.objects.create(statement=statement, organization=make_organization(name=name))
    # Names are isolated (<bdi>), each in a run of its own: read the runs joined.
    text = pdf_text(client.get(pdf_url(statement)).content).replace("\n", "")
    for expected in [
        "URGENT JOINT STATEMENT",
        "Market strike demands an answer",
        "WASHINGTON, DC",
        "26 June 2024",
        "Eight organizations speak together.",
        "condemn",
        "Ceasefire:",
        "Stop the shelling.",
        "Markets are not targets.",
        "Rana Haddad, Director, Coalition for Civilian Protection",
        "Issued by",
        "Coalition for Civilian Protection (CCP)",
        "Signed by 3 organizations",
        "Friends of the Market",
        "Union of Bakers",
        "Relief Now",
        "For press inquiries",
        "Sam Okafor",
        "press@ccp.example.org · +1 202 555 0100",
        "https://example.org/r",
        f"https://statements.example.org/statements/{statement.slug}/",
        "1 / 1",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pdf_is_tagged_in_the_statement_s_language(client, language):
    statement = make_full_statement(language=language)
    objects = b"\n".join(pdf_streams(client.get(pdf_url(statement)).content))
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo <</Marked true>>" in objects
    assert re.findall(rb"/Lang \(([^)]*)\)", objects) == [language.encode()]
    # The structure follows the HTML: headings, paragraphs, lists and links.
    tags = set(re.findall(rb"/S /(\w+)", objects))
    assert {b"Document", b"H1", b"H2", b"P", b"L", b"LI", b"Link"} <= tags


def test_signatures_not_approved_are_not_printed(client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Still Waiting Group"),
        state=Signature.State.CONFIRMED,
        source=Signature.Source.FORM,
        signer_email="a@example.org",
    )
    make_signatures(statement, 1)
    text = pdf_text(client.get(pdf_url(statement)).content)
    assert "Signed by 1 organization" in text
    assert "Still Waiting Group" not in text


def test_a_retracted_statement_s_pdf_carries_the_notice(client):
    statement = make_statement(
        status=Statement.Status.RETRACTED, retraction_note="The casualty figure was wrong."
    )
    text = pdf_text(client.get(pdf_url(statement)).content)
    assert "This statement has been retracted" in text
    assert "The casualty figure was wrong." in text


def test_a_retracted_statement_s_pdf_gives_the_address_of_its_correction(client, settings):
    settings.SITE_URL = "https://jointly.example.org"
    correction = make_statement(status=Statement.Status.PUBLISHED, title="Right", slug="right")
    statement = make_statement(
        status=Statement.Status.RETRACTED, retraction_note="Wrong.", corrected_by=correction
    )
    text = pdf_text(client.get(pdf_url(statement)).content)
    assert "Corrected by \nRight\n: \nhttps://jointly.example.org/statements/right/\n" in text


def test_unpublished_statements_have_no_pdf(client):
    for status, extra in [
        (Statement.Status.DRAFT, {}),
        (Statement.Status.SIGNOFF, {}),
        (Statement.Status.SCHEDULED, {"publish_at": timezone.now()}),
    ]:
        statement = make_statement(status=status, **extra)
        assert client.get(pdf_url(statement)).status_code == 404, status
    assert client.get("/statements/no-such-statement.pdf").status_code == 404


def test_the_pdf_is_laid_out_once_until_what_it_shows_changes(client, renders):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    make_signatures(statement, 2)
    first = client.get(pdf_url(statement)).content
    assert client.get(pdf_url(statement)).content == first
    assert len(renders) == 1

    Signature.objects.create(
        statement=statement, organization=make_organization(name="Late Signer Collective")
    )
    second = client.get(pdf_url(statement)).content
    assert len(renders) == 2
    assert "Late Signer Collective" in pdf_text(second)
    assert "Late Signer Collective" not in pdf_text(first)

    # A renamed organization changes the PDF as well, though no signature changed.
    Organization.objects.filter(name="Late Signer Collective").update(name="Late Signers United")
    assert "Late Signers United" in pdf_text(client.get(pdf_url(statement)).content)
    assert len(renders) == 3


def test_an_arabic_statement_is_laid_out_right_to_left(client, monkeypatch):
    made_from = []
    render = pdf.pdf_render

    def recorded(*, html, made_at):
        made_from.append(html)
        return render(html=html, made_at=made_at)

    monkeypatch.setattr(pdf, "pdf_render", recorded)
    statement = make_statement(
        status=Statement.Status.PUBLISHED, language="ar", title="بيان مشترك", slug="بيان-مشترك"
    )
    response = client.get(pdf_url(statement))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%D8%A8%D9%8A%D8%A7%D9%86-%D9%85%D8%B4%D8%AA%D8%B1%D9%83.pdf"
    )
    [html] = made_from
    assert '<html lang="ar" dir="rtl">' in html
    # Laid out right to left, the headline's letters come out in reverse order.
    assert "بيان مشترك"[::-1] in pdf_text(response.content)


def test_the_pdf_reads_its_images_from_disk_and_opens_no_connection(client, settings, monkeypatch):
    # A host that does not resolve: only reading the files from disk can show the image.
    settings.SITE_URL = "https://statements.invalid"
    statement = make_statement(status=Statement.Status.PUBLISHED, hero_image=png_upload("h.png"))
    attempts = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kw: attempts.append(args))
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))

    response = client.get(pdf_url(statement))

    assert response.status_code == 200
    assert b"/Subtype /Image" in response.content
    assert attempts == []


def test_the_fetcher_serves_our_own_files_and_refuses_everything_else(settings, tmp_path):
    settings.SITE_URL = "https://statements.example.org"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.png").write_bytes(b"png bytes")
    # What collectstatic leaves in production: names with a hash of the content.
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "pdf.0123abcd.css").write_text("@page { size: A5 }")
    fetcher = pdf.local_files_fetcher()

    css = fetcher.fetch("https://statements.example.org/static/css/pdf.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    hashed = fetcher.fetch("https://statements.example.org/static/css/pdf.0123abcd.css")
    assert hashed.read() == b"@page { size: A5 }"
    image = fetcher.fetch("https://statements.example.org/media/logo.png")
    assert (image.content_type, image.read()) == ("image/png", b"png bytes")

    for url in [
        "https://elsewhere.example.org/static/css/pdf.css",
        "http://statements.example.org/static/css/pdf.css",
        "https://statements.example.org/statements/",
        "https://statements.example.org/media/../../etc/passwd",
        "https://statements.example.org/static/%2E%2E/config/settings.py",
        "https://statements.example.org/media/missing.png",
        "file:///etc/passwd",
        "data:text/plain,hello",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


@pytest.mark.parametrize("signatories", [1, 300])
def test_the_pdf_costs_the_same_queries_however_many_signed(
    client, django_assert_num_queries, signatories
):
    statement = make_full_statement()
    make_signatures(statement, signatories)
    # statement, demands, quotes, organizations, the first individuals, press contacts,
    # related links, updates, every individual
    with django_assert_num_queries(9):
        response = client.get(pdf_url(statement))
    assert response.status_code == 200


def test_the_statement_page_links_to_its_pdf_and_has_a_print_stylesheet(client):
    statement = make_statement(status=Statement.Status.PUBLISHED, slug="s")
    html = client.get(statement.get_absolute_url()).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<a class="btn btn-outline-secondary btn-sm" href="/statements/s.pdf">' in html
    # Printing needs script: the button shows only once print.js has run.
    assert 'type="button" data-print hidden>Print</button>' in html
    assert 'src="/static/js/print.js" defer' in html


def test_the_pdf_prints_the_list_as_the_page_does_with_every_individual(client):
    published_at = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        published_at=published_at,
        signers=Statement.Signers.EVERYONE,
        signatory_numbering=True,
        signatory_details=True,
        signatory_grouping=Statement.SignatoryGrouping.GROUPS,
    )
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead organizations")
    Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Issuing Coalition", short_name="IC"),
        role=Signature.Role.ISSUER,
    )
    Signature.objects.create(
        statement=statement,
        organization=make_organization(
            name="Syrian American Council", short_name="SAC", country="FR"
        ),
        group=lead,
        decided_at=published_at,
    )
    Signature.objects.create(
        statement=statement,
        organization=make_organization(name="Late Aid", short_name="LA"),
        decided_at=datetime.datetime(2026, 10, 14, 12, tzinfo=datetime.UTC),
    )
    make_individuals(statement, 150, decided_at=published_at)

    text = pdf_text(client.get(pdf_url(statement)).content).replace("\n", "")
    for expected in [
        "Issued by",
        "Issuing Coalition (IC)",
        "Signed by 2 organizations and 150 individuals",
        "1 joined after publication",
        "Lead organizations",
        "Syrian American Council (SAC), France",
        "Other signatories",
        "Late Aid (LA) — joined on 14 October 2026",
        "Individuals",
        "Affiliations are for identification only.",
        "Family00000, Researcher, University 0",
        "Family00149, Researcher, University 149",
        "List as of",
    ]:
        assert expected in text, expected
    assert "@example.org" not in text
    assert text.index("Syrian American Council") < text.index("Late Aid")
    assert text.index("Late Aid") < text.index("Family00000")


def test_the_pdf_says_when_it_was_made_and_a_late_signer_makes_a_new_one(client, renders):
    published_at = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        published_at=published_at,
        signers=Statement.Signers.EVERYONE,
    )
    make_individuals(statement, 2, decided_at=published_at)
    first = pdf_text(client.get(pdf_url(statement)).content).replace("\n", "")
    assert re.search(r"List as of \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\.", first)
    assert "joined after publication" not in first
    # The time it was made is not in the key: the same list is the same PDF.
    client.get(pdf_url(statement))
    assert len(renders) == 1

    late = datetime.datetime(2026, 10, 20, 12, tzinfo=datetime.UTC)
    make_individuals(statement, 1, decided_at=late, signer_name="Nadia Late")
    second = pdf_text(client.get(pdf_url(statement)).content).replace("\n", "")
    assert len(renders) == 2
    assert "Signed by 3 individuals" in second
    assert "1 joined after publication" in second
    assert "Nadia Late, Researcher, University 0" in second
    assert "joined on 20 October 2026" in second
