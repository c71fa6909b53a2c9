"""The release parser (statements.importing) and `manage.py import_release`.

Each file in releases/seeds/ is a real release, copied from the project's shared seeds;
the other files in releases/ are variants written for these tests (other date forms,
Arabic, Markdown, demands, contacts).
"""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from statements.importing import release_parse
from statements.importing.dates import date_find
from statements.models import Statement

RELEASES = Path(__file__).parent / "releases"
SEEDS = RELEASES / "seeds"
TODAY = datetime.date(2026, 12, 2)
KEYS = {
    "kind", "headline", "standfirst", "dateline", "release_date", "body", "demands", "closing",
    "quotes", "issuers", "signatories", "press_contacts", "image_credit", "warnings",
    "demands_heading", "press_contacts_heading",
}  # fmt: skip


def parse_file(path, **kwargs):
    return release_parse(upload=path, today=TODAY, **kwargs)


def parse(text):
    return release_parse(text=text, today=TODAY)


def docx_bytes(paragraphs: list[tuple[str | None, str]]) -> bytes:
    """The smallest Word document mammoth reads: (style, text) a paragraph."""
    body = "".join(
        "<w:p>"
        + (f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else "")
        + f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{main}">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes(content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text>'
            f"{content}</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


# The seeds


def test_seed_000_an_urgent_joint_statement_issued_by_the_organizations_of_its_lead():
    parsed = parse_file(SEEDS / "000_f7fdfa385a5c4002.txt")

    assert set(parsed) >= KEYS
    assert parsed["kind"] == "urgent_joint_statement"
    assert parsed["headline"] == (
        "Russian Airstrike Massacre in Jisr al Shughur, Idlib: "
        "Urgent Call for International Support"
    )
    assert parsed["dateline"] == "WASHINGTON, DC"
    assert parsed["body"].startswith("Citizens for a Secure and Safe America (C4SSA), Syrian")
    assert "WASHINGTON" not in parsed["body"]
    assert parsed["body"].count("\n\n") == 4  # five paragraphs
    assert parsed["body"].endswith("to those in need.")
    assert parsed["issuers"] == [
        {"name": "Citizens for a Secure and Safe America", "short_name": "C4SSA"},
        {"name": "Syrian Emergency Task Force", "short_name": "SETF"},
        {"name": "Syria Institute for Progress", "short_name": "SI4P"},
        {"name": "Global Justice", "short_name": ""},
    ]
    assert parsed["signatories"] == []
    # Only "Sunday, June 25" in the lead dates it: the year is the last one it was a Sunday.
    assert parsed["release_date"] == "2023-06-25"
    assert any("2023 was assumed" in warning for warning in parsed["warnings"])
    assert any("(site)" in warning for warning in parsed["warnings"])
    assert parsed["demands"] == [] and parsed["press_contacts"] == [] and parsed["quotes"] == []


def test_seed_002_no_kind_no_date_and_an_image_credit():
    parsed = parse_file(SEEDS / "002_330e9b5e13887387.txt")

    assert parsed["kind"] == "joint_statement"
    assert parsed["headline"] == (
        "Increased Assad and Russian Attacks Kill Civilians in IDP Camp and Idlib City"
    )
    assert parsed["image_credit"] == "White Helmets/Social Media"
    assert "Credit" not in parsed["body"]
    assert parsed["body"].startswith("In recent days, there has been")
    assert parsed["body"].count("\n\n") == 4
    assert parsed["release_date"] is None
    assert parsed["dateline"] == ""
    assert any("No date was found" in warning for warning in parsed["warnings"])
    assert any("No kind line" in warning for warning in parsed["warnings"])


def test_seed_004_a_press_release_with_a_date_line_a_quote_and_signatories():
    parsed = parse_file(SEEDS / "004_db95ac8e4dbb95db.txt")

    assert parsed["kind"] == "press_release"
    assert parsed["headline"] == "Syrians Condemn Russian Massacre in Idlib"
    assert parsed["release_date"] == "2015-12-21"
    assert parsed["body"].startswith("British Syrian groups across the UK strongly condemn")
    assert "[UN Security Council Resolution 2139](#)" in parsed["body"]
    assert "**must**" in parsed["body"]
    assert parsed["quotes"] == [
        {
            "text": parsed["quotes"][0]["text"],
            "person_name": "Dr. Sharif Kaf Al-Ghazal",
            "person_title": "",
            "organization": "Syrian Association of Yorkshire",
        }
    ]
    assert parsed["quotes"][0]["text"].startswith("Russian atrocities against civilians")
    assert parsed["quotes"][0]["text"].endswith("speak out against this.")
    assert "Russian atrocities" not in parsed["body"]
    assert "Signatories" not in parsed["body"]
    assert [org["name"] for org in parsed["signatories"]] == [
        "Oxford for Syria",
        "Peace and Justice for Syria",
        "Rethink Rebuild Society",
        "Scotland4Syria",
        "Syria Solidarity UK",
        "Syrian Association of Yorkshire",
        "Syrian Welsh Society",
    ]
    assert parsed["issuers"] == []


# Variants


def test_a_markdown_release_with_every_part():
    parsed = parse_file(RELEASES / "full_release.md")

    assert parsed["kind"] == "joint_statement"
    assert parsed["headline"] == "Lift the Siege on the Rukban Camp Now"
    assert parsed["standfirst"] == (
        "Eight aid groups ask donors to reopen the only road into the camp"
    )
    assert parsed["dateline"] == "BEIRUT, Lebanon"
    assert parsed["release_date"] == "2023-10-10"
    assert parsed["body"] == (
        "The Coalition for Open Roads (COR), Water Without Borders (WWB) and the Rukban Relief "
        "Network (RRN) warn that the camp's last clinic will close within weeks. Read the "
        "[UN report](https://example.org/report) on the camp.\n\n"
        "Families in the camp told us what they lack most:\n\n"
        "- clean water\n- infant formula\n- fuel for the winter"
    )
    assert parsed["image_credit"] == "Relief Network volunteers"
    assert parsed["quotes"] == [
        {
            "text": "Every week without a convoy costs lives.",
            "person_name": "Amal Haddad",
            "person_title": "director of advocacy",
            "organization": "Water Without Borders",
        }
    ]
    assert (
        parsed["demands_heading"] == "We call upon the following actions to be taken immediately:"
    )
    assert parsed["demands"] == [
        {
            "heading": "Humanitarian access",
            "text": "That the road from the border is opened to convoys.",
        },
        {"heading": "Funding", "text": "That donors restore the camp's water budget."},
        {"heading": "", "text": "That the clinic is resupplied every month."},
    ]
    assert parsed["closing"] == "These steps cost little and can start tomorrow."
    assert parsed["issuers"] == [
        {"name": "Coalition for Open Roads", "short_name": "COR"},
        {"name": "Water Without Borders", "short_name": "WWB"},
        {"name": "Rukban Relief Network", "short_name": "RRN"},
    ]
    # The sign-on list repeats the issuers: they are not listed twice.
    assert parsed["signatories"] == [
        {"name": "Friends of Palmyra", "short_name": ""},
        {"name": "Desert Doctors", "short_name": "DD"},
    ]
    assert parsed["press_contacts_heading"] == "For press inquiries, please contact:"
    assert parsed["press_contacts"] == [
        {
            "name": "Nour Khalil",
            "title": "Communications Officer",
            "organization": "Coalition for Open Roads",
            "email": "nour@cor.example",
            "phone": "+961 1 234 567",
        },
        {
            "name": "",
            "title": "Operations Manager",
            "organization": "Water Without Borders",
            "email": "",
            "phone": "+1 (202) 555-0143",
        },
    ]
    assert any("[email protected]" in warning for warning in parsed["warnings"])


def test_an_arabic_release():
    parsed = parse_file(RELEASES / "arabic_release.txt")

    assert parsed["kind"] == "urgent_joint_statement"
    assert parsed["headline"] == "أوقفوا قصف الأسواق في إدلب"
    assert parsed["dateline"] == "بيروت"
    assert parsed["release_date"] == "2023-10-10"
    assert parsed["language"] == "ar"
    assert parsed["body"].startswith("تدين منظمة الإغاثة السورية (SRO)")
    assert parsed["issuers"] == [
        {"name": "منظمة الإغاثة السورية", "short_name": "SRO"},
        {"name": "شبكة أطباء بلا حدود المحلية", "short_name": "LDN"},
    ]
    assert parsed["signatories"] == [{"name": "جمعية الأمل", "short_name": ""}]
    assert parsed["quotes"][0]["person_name"] == "أحمد العلي"
    assert parsed["quotes"][0]["organization"] == "منظمة الإغاثة السورية"
    assert parsed["demands_heading"] == "نطالب المجتمع الدولي بما يلي:"
    assert parsed["demands"] == [
        {"heading": "وقف إطلاق النار", "text": "وقف فوري لجميع الهجمات على المدنيين."},
        {"heading": "المساءلة", "text": "محاسبة المسؤولين عن القصف."},
    ]
    assert parsed["closing"] == "إن حماية المدنيين مسؤولية مشتركة."
    assert parsed["press_contacts"] == [
        {
            "name": "",
            "title": "منسقة الإعلام",
            "organization": "جمعية الأمل",
            "email": "media@amal.example",
            "phone": "",
        }
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OCTOBER 10, 2023", datetime.date(2023, 10, 10)),
        ("May 6, 2019 –", datetime.date(2019, 5, 6)),
        ("21/12/2015", datetime.date(2015, 12, 21)),
        ("12/21/2015", datetime.date(2015, 12, 21)),
        ("2023-10-10", datetime.date(2023, 10, 10)),
        ("10 October 2023", datetime.date(2023, 10, 10)),
        ("Tuesday, 10th of October, 2023", datetime.date(2023, 10, 10)),
        ("Oct. 10, 2023", datetime.date(2023, 10, 10)),
        ("١٠ تشرين الأول ٢٠٢٣", datetime.date(2023, 10, 10)),
        ("10 أكتوبر 2023م", datetime.date(2023, 10, 10)),
        ("Sunday, June 25", datetime.date(2023, 6, 25)),
        ("June 25", datetime.date(2026, 6, 25)),
    ],
)
def test_it_reads_the_dates_releases_print(text, expected):
    assert date_find(text, today=TODAY).date == expected


def test_it_reads_no_date_where_there_is_none():
    assert date_find("we may 5 times over; June 2019 was hot", today=TODAY) is None


def test_a_year_it_infers_and_an_ambiguous_day_are_flagged():
    parsed = parse("Press release\n\nSunday, June 25\n\nA headline\n\nThe lead paragraph.")
    assert parsed["release_date"] == "2023-06-25"
    assert any("2023 was assumed" in warning for warning in parsed["warnings"])

    parsed = parse("A headline\n\n05/06/2019\n\nThe lead paragraph.")
    assert parsed["release_date"] == "2019-06-05"
    assert any("day first" in warning for warning in parsed["warnings"])


@pytest.mark.parametrize(
    ("line", "kind", "headline"),
    [
        (
            "URGENT JOINT STATEMENT: Stop the Shelling",
            "urgent_joint_statement",
            "Stop the Shelling",
        ),
        ("Joint Statement – Stop the Shelling", "joint_statement", "Stop the Shelling"),
        ("Open letter: Stop the Shelling", "open_letter", "Stop the Shelling"),
        ("**PRESS RELEASE:** Stop the Shelling", "press_release", "Stop the Shelling"),
        ("بيان صحفي: أوقفوا القصف", "press_release", "أوقفوا القصف"),
        ("بيان مشترك: أوقفوا القصف", "joint_statement", "أوقفوا القصف"),
        ("Declaration: Stop the Shelling", "declaration", "Stop the Shelling"),
    ],
)
def test_it_strips_the_kind_from_the_headline(line, kind, headline):
    parsed = parse(f"{line}\n\nThe lead paragraph, which is a sentence.")
    assert (parsed["kind"], parsed["headline"]) == (kind, headline)


@pytest.mark.parametrize("dateline", ["WASHINGTON, DC—", "WASHINGTON D.C.–", "BEIRUT –"])
def test_it_takes_the_dateline_off_the_lead(dateline):
    parsed = parse(f"A headline\n\n{dateline} The coalition condemns the attack.")
    assert parsed["dateline"] == dateline.rstrip(" —–")
    assert parsed["body"] == "The coalition condemns the attack."


def test_pasted_bullets_of_every_style_become_markdown_lists():
    parsed = parse(
        "A headline\n\nThe lead paragraph.\n\nWhat is needed:\n• water\n· food\n– fuel\n* tents\n\n"
        "In order:\n1) first\n2) second\n\nA last paragraph."
    )
    assert parsed["body"] == (
        "The lead paragraph.\n\nWhat is needed:\n\n- water\n- food\n- fuel\n- tents\n\n"
        "In order:\n\n1. first\n2. second\n\nA last paragraph."
    )


def test_signatories_one_a_line_separated_or_issued_by():
    parsed = parse(
        "A headline\n\nThe lead paragraph.\n\nIssued by: Alpha Aid (AA); Beta Relief\n\n"
        "Endorsed by\nGamma Group\nDelta Network (DN)"
    )
    assert parsed["issuers"] == [
        {"name": "Alpha Aid", "short_name": "AA"},
        {"name": "Beta Relief", "short_name": ""},
    ]
    assert parsed["signatories"] == [
        {"name": "Gamma Group", "short_name": ""},
        {"name": "Delta Network", "short_name": "DN"},
    ]
    assert parsed["body"] == "The lead paragraph."


def test_quotes_said_after_and_from():
    parsed = parse(
        "A headline\n\nThe lead paragraph.\n\n"
        "“We will not stop,” said Rana Saleh, spokesperson at Civil Voices.\n\n"
        "Omar Aziz from Hope Society says: 'It is time.'"
    )
    assert parsed["quotes"] == [
        {
            "text": "We will not stop",
            "person_name": "Rana Saleh",
            "person_title": "spokesperson",
            "organization": "Civil Voices",
        },
        {
            "text": "It is time.",
            "person_name": "Omar Aziz",
            "person_title": "",
            "organization": "Hope Society",
        },
    ]
    assert parsed["body"] == "The lead paragraph."


def test_contacts_under_media_contact_and_a_hidden_address():
    parsed = parse(
        "A headline\n\nThe lead paragraph.\n\nMedia Contact:\nLayla Noor\nPress Officer\n"
        "Syrian Relief Council\nEmail: [email protected]\nPhone: +44 20 7946 0958"
    )
    assert parsed["press_contacts_heading"] == "Media Contact:"
    assert parsed["press_contacts"] == [
        {
            "name": "Layla Noor",
            "title": "Press Officer",
            "organization": "Syrian Relief Council",
            "email": "",
            "phone": "+44 20 7946 0958",
        }
    ]
    assert any("[email protected]" in warning for warning in parsed["warnings"])


def test_a_lead_in_without_a_list_stays_in_the_body():
    parsed = parse("A headline\n\nWe call on everyone to act:\n\nThis is a paragraph. And another.")
    assert parsed["demands"] == [] and parsed["demands_heading"] == ""
    assert parsed["body"] == "We call on everyone to act:\n\nThis is a paragraph. And another."


def test_html_pasted_from_a_word_processor():
    parsed = parse(
        '<b style="font-weight:normal" id="docs-internal-guid-1">'
        "<p><b>Press Release</b><o:p></o:p></p><h1>Donors Must Fund the Winter</h1>"
        '<p>May 6, 2019 – Groups warn the <a href="https://example.org/plan">plan</a> is short.</p>'
        "<p class=MsoListParagraph><![if !supportLists]><span>·<span>&nbsp; </span></span>"
        "<![endif]>Shelter kits</p><ul><li>Heating fuel</li></ul>"
        "<p>Media Contact:<br>Sara Odeh<br>Press Officer, Winter Aid Alliance<br>"
        "sara@waa.example</p><script>alert(1)</script></b>"
    )
    assert parsed["kind"] == "press_release"
    assert parsed["headline"] == "Donors Must Fund the Winter"
    assert parsed["release_date"] == "2019-05-06"
    assert parsed["body"] == (
        "Groups warn the [plan](https://example.org/plan) is short.\n\n"
        "- Shelter kits\n- Heating fuel"
    )
    assert parsed["press_contacts"] == [
        {
            "name": "Sara Odeh",
            "title": "Press Officer",
            "organization": "Winter Aid Alliance",
            "email": "sara@waa.example",
            "phone": "",
        }
    ]


def test_a_docx_upload():
    upload = SimpleUploadedFile(
        "letter.docx",
        docx_bytes(
            [
                ("Title", "Open Letter: Reopen the Crossings"),
                ("Subtitle", "Twelve groups write to the Council"),
                (None, "2023-10-10"),
                (None, "GENEVA — Open Roads (OR) and Clear Water (CW) write to the Council."),
                (None, "Signatories: One Org • Two Org"),
            ]
        ),
    )
    parsed = release_parse(upload=upload, today=TODAY)
    assert parsed["kind"] == "open_letter"
    assert parsed["headline"] == "Reopen the Crossings"
    assert parsed["standfirst"] == "Twelve groups write to the Council"
    assert parsed["dateline"] == "GENEVA"
    assert parsed["release_date"] == "2023-10-10"
    assert parsed["body"] == "Open Roads (OR) and Clear Water (CW) write to the Council."
    assert [org["short_name"] for org in parsed["issuers"]] == ["OR", "CW"]
    assert [org["name"] for org in parsed["signatories"]] == ["One Org", "Two Org"]


def test_an_odt_upload():
    content = (
        "<text:h>Press release: Water for Idlib</text:h>"
        '<text:p>BEIRUT – The network asks for <text:a xlink:href="https://example.org">'
        "water</text:a>.</text:p>"
        "<text:list><text:list-item><text:p>pumps</text:p></text:list-item>"
        "<text:list-item><text:p>pipes</text:p></text:list-item></text:list>"
    )
    parsed = release_parse(upload=SimpleUploadedFile("r.odt", odt_bytes(content)), today=TODAY)
    assert parsed["kind"] == "press_release"
    assert parsed["headline"] == "Water for Idlib"
    assert parsed["dateline"] == "BEIRUT"
    assert (
        parsed["body"] == "The network asks for [water](https://example.org).\n\n- pumps\n- pipes"
    )


# Bad input


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": ""}, "empty"),
        ({"text": " \n\n \t"}, "empty"),
        ({"text": "x" * 5_000_000}, "too_large"),
        ({"text": "A sentence that goes on. " * 20}, "no_headline"),
        ({"text": "A headline\x00\x01"}, "binary"),
        ({}, "input"),
        ({"text": "A", "upload": RELEASES / "arabic_release.txt"}, "input"),
        ({"upload": SimpleUploadedFile("r.docx", b"plain text, not a zip")}, "wrong_type"),
        ({"upload": SimpleUploadedFile("r.docx", docx_bytes([(None, "A")])[:300])}, "corrupt"),
        ({"upload": SimpleUploadedFile("r.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary")}, "wrong_type"),
        ({"upload": SimpleUploadedFile("r.txt", docx_bytes([(None, "A")]))}, "wrong_type"),
        ({"upload": SimpleUploadedFile("r.odt", docx_bytes([(None, "A")]))}, "wrong_type"),
        ({"upload": SimpleUploadedFile("r.pdf", b"%PDF-1.7")}, "unsupported"),
        ({"upload": SimpleUploadedFile("r.md", b"x" * 5_000_000)}, "too_large"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(kwargs, code):
    with pytest.raises(ValidationError) as caught:
        release_parse(**kwargs)
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_a_docx_whose_document_is_broken_is_damaged():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(ValidationError) as caught:
        release_parse(upload=SimpleUploadedFile("r.docx", data.getvalue()))
    assert caught.value.code == "corrupt"


# The command


@pytest.fixture
def created(db):
    """The statements the command made."""
    return Statement.objects.all()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_release", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_one_json_object_a_file_and_writes_nothing(created):
    out, err = run(RELEASES / "arabic_release.txt", RELEASES / "full_release.md", "--json")

    lines = out.splitlines()
    assert len(lines) == 2 and err == ""
    first = json.loads(lines[0])
    assert set(first) >= KEYS
    assert first["headline"] == "أوقفوا قصف الأسواق في إدلب"
    assert "أوقفوا" in lines[0]  # ensure_ascii=False
    assert json.loads(lines[1])["headline"] == "Lift the Siege on the Rukban Camp Now"
    assert not created.exists()


def test_the_command_reports_a_bad_file_and_still_prints_the_others(created, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 files could not be read"):
        call_command(
            "import_release",
            str(bad),
            str(tmp_path / "missing.txt"),
            str(RELEASES / "full_release.md"),
            "--json",
            stdout=out,
            stderr=err,
        )
    assert len(out.getvalue().splitlines()) == 1
    assert "broken.docx: “broken.docx” is not what its name says" in err.getvalue()
    assert "missing.txt" in err.getvalue()


def test_without_json_it_creates_the_drafts_and_prints_their_admin_addresses(
    created, settings, staff
):
    settings.SITE_URL = "https://jointly.example"
    out, err = run(RELEASES / "full_release.md", "--user", staff.username)

    (statement,) = created
    assert statement.title == "Lift the Siege on the Rukban Camp Now"
    assert statement.status == statement.Status.DRAFT
    address = f"https://jointly.example/admin/statements/statement/{statement.pk}/change/"
    assert out.strip().endswith(address)
    assert err == ""


def test_without_json_it_names_who_the_drafts_are_for_and_checks_their_permission(
    created, outsider
):
    with pytest.raises(CommandError, match="--user USERNAME"):
        run(RELEASES / "full_release.md")
    with pytest.raises(CommandError, match="no active user"):
        run(RELEASES / "full_release.md", "--user", "nobody")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 files"):
        call_command(
            "import_release",
            str(RELEASES / "full_release.md"),
            "--user",
            outsider.username,
            stdout=out,
            stderr=err,
        )
    assert "You may not add statements." in err.getvalue()
    assert not created.exists()


def test_warnings_and_messages_speak_the_staff_members_language():
    from django.utils import translation

    with translation.override("ar"):
        parsed = parse("عنوان البيان\n\nفقرة أولى.")
        with pytest.raises(ValidationError) as caught:
            parse("")
    assert "لم يُعثر على تاريخ: أضِف تاريخ الإصدار يدويًا." in parsed["warnings"]
    assert caught.value.messages == ["البيان فارغ."]


def test_a_kind_that_opens_the_headline_stays_in_it():
    parsed = parse("Joint Statement on the Siege of Rukban\n\nBeirut, Lebanon — Groups ask.")
    assert parsed["kind"] == "joint_statement"
    assert parsed["headline"] == "Joint Statement on the Siege of Rukban"
    assert not any("No kind line" in warning for warning in parsed["warnings"])
    assert (parsed["dateline"], parsed["body"]) == ("Beirut, Lebanon", "Groups ask.")


def test_demands_under_bold_headings_of_their_own():
    parsed = parse(
        "A headline\n\nThe lead.\n\nOur demands:\n\n**Ceasefire**\nThat the shelling stops.\n\n"
        "**Access**\nThat convoys pass.\n\nThank you."
    )
    assert parsed["demands_heading"] == "Our demands:"
    assert parsed["demands"] == [
        {"heading": "Ceasefire", "text": "That the shelling stops."},
        {"heading": "Access", "text": "That convoys pass."},
    ]
    assert (parsed["body"], parsed["closing"]) == ("The lead.", "Thank you.")


def test_contacts_on_one_line_each_and_one_after_another():
    parsed = parse(
        "A headline\n\nThe lead.\n\nContact: Jane Doe at jane@x.org or +1 202 555 0100\n\n"
        "Sam Lee\nsam@y.org\nRita Roe, Press Officer, Hope Society, rita@h.org"
    )
    assert parsed["press_contacts_heading"] == "Contact:"
    assert [(c["name"], c["email"]) for c in parsed["press_contacts"]] == [
        ("Jane Doe", "jane@x.org"),
        ("Sam Lee", "sam@y.org"),
        ("Rita Roe", "rita@h.org"),
    ]
    assert parsed["press_contacts"][0]["phone"] == "+1 202 555 0100"
    assert parsed["press_contacts"][2]["title"] == "Press Officer"
    assert parsed["press_contacts"][2]["organization"] == "Hope Society"
