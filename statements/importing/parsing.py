"""Recognise the parts of a finished release in its text (see `release_parse`).

A release is read in blocks (paragraphs separated by blank lines): first the header
(kind line, headline, standfirst, date), then the body, where a lead-in such as "We call
upon the following actions:" opens the demands, what follows them is the closing, and
"Signatories:" or "For press inquiries, please contact:" open the lists that end it.
Every guess is said in `warnings`, so staff know what to check.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from statements.models import Statement

from .dates import date_find, is_date_line
from .reading import paste_read, upload_read

Kind = Statement.Kind

_KINDS = [
    (Kind.URGENT_JOINT_STATEMENT, r"urgent\s+joint\s+statement|بيان\s+مشترك\s+عاجل|بيان\s+عاجل"),
    (Kind.JOINT_STATEMENT, r"joint\s+statement|joint\s+declaration|بيان\s+مشترك|بيان\s+موحد"),
    (
        Kind.PRESS_RELEASE,
        r"press\s+release|news\s+release|media\s+release|for\s+immediate\s+release"
        r"|بيان\s+صحفي|بيان\s+صحافي|بيان\s+إعلامي",
    ),
    (Kind.OPEN_LETTER, r"open\s+letter|رسالة\s+مفتوحة"),
    (Kind.DECLARATION, r"declaration|إعلان"),
    (Kind.JOINT_STATEMENT, r"statement|بيان"),
]
_KIND_ALONE = [(kind, re.compile(rf"^(?:{p})\s*[:：\-–—|]?$", re.I)) for kind, p in _KINDS]
_KIND_PREFIX = [
    (kind, re.compile(rf"^(?:{p})\s*[:：–—|]\s*(?P<rest>\S.*)$", re.I)) for kind, p in _KINDS
]

# A symbol bullet may touch its text; a Markdown one (-, *, +) or a dash needs a space,
# so that *emphasis* and -1 °C stay what they are.
_KIND_OPENING = re.compile(
    rf"^(?P<kind>{'|'.join(p for _, p in _KINDS[:-1])})\s+(?:on|regarding|about|by|from|of|in|to|"
    r"بشأن|حول|حول|عن)\s",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[•·▪●◦○‣⁃∙\uf0b7\uf0a7]\s*|[–*+]\s+|-(?!-)\s+)(?P<item>\S.*)$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,2})[.)]\s+(?P<item>\S.*)$")
_CREDIT = re.compile(
    r"^(?P<open>[(\[])?\s*(?:photo\s+credit|image\s+credit|credit|photo|image|picture"
    r"|الصورة|صورة|مصدر\s+الصورة)\s*[:：]\s*(?P<credit>.+?)\s*(?(open)[)\]])$",
    re.I,
)
_END_MARK = re.compile(r"^[\s\-–—#*]*(?:-?\s*ends?\s*-?|###|-30-|انتهى)[\s\-–—#*]*$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’]+(?:[ ,]+[A-Z][A-Z.'’]*){0,4}(?:,\s*[A-Z][A-Za-z.]+){0,2})"
    r"\s*(?:\((?P<paren>[^)]{0,40})\))?\s*[—–-]{1,2}\s*"
)
# "Beirut, Lebanon — …": a place in title case needs a long dash, and is not a time word.
_DATELINE_TITLE = re.compile(
    r"^(?!(?:Today|Yesterday|Tonight|Now|Meanwhile|Earlier|Later|Update|Again)\b)"
    r"(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?:,\s*[A-Z][A-Za-z.]+){0,2})"
    r"\s*(?:\((?P<paren>[^)]{0,40})\))?\s*[—–]\s+"
)
_DATELINE_AR = re.compile(
    r"^(?P<place>[\u0621-\u064a]+(?:[ ،,]+[\u0621-\u064a]+){0,2})\s*(?:\((?P<paren>[^)]{0,40})\))?"
    r"\s*[—–-]\s+"
)
_ORGS_LEAD = re.compile(
    r"^(?P<lead>(?:list\s+of\s+)?signator(?:y|ies)(?:\s+organi[sz]ations)?|co-?signed\s+by|signed\s+by"
    r"|issued\s+by|endorsed\s+by|endors(?:ers|ing\s+organi[sz]ations)|supporting\s+organi[sz]ations"
    r"|الموقعون|الموقعين|الجهات\s+الموقعة|المنظمات\s+الموقعة|صادر\s+عن|صدر\s+عن)"
    r"(?P<tail>[^:：]{0,40})[:：]?\s*(?P<rest>.*)$",
    re.I,
)
_ISSUED = re.compile(r"^(?:issued\s+by|صادر\s+عن|صدر\s+عن)", re.I)
_CONTACTS_LEAD = re.compile(
    r"^(?P<lead>(?:for\s+(?:press|media|more)\s+(?:inquiries|enquiries|queries|information)"
    r"|(?:press|media)\s+(?:contacts?|inquiries|enquiries|queries)|contacts?"
    r"|للتواصل(?:\s+الإعلامي)?|للاستفسارات(?:\s+الإعلامية)?|جهة\s+الاتصال|للاتصال)"
    r"[^:：]{0,60}[:：])\s*(?P<rest>.*)$",
    re.I,
)
_DEMANDS_LEAD = re.compile(
    r"\b(?:call(?:s|ing)?\s+(?:up)?on|calls?\s+for|urges?|urging|demands?|asks?|request"
    r"|recommend(?:s|ations)?|appeals?|implores?|calls\s+to\s+action|must)\b"
    r"|نطالب|مطالب|ندعو|يطالب|تطالب|يدعو|تدعو|التوصيات|نناشد",
    re.I,
)
_ITEM_HEADING = re.compile(r"^(?P<heading>[^:：.!?]{1,60})[:：]\s+(?P<text>\S.*)$", re.S)
_ACRONYM = re.compile(r"^(?=.*[A-Z0-9\u0621-\u064a])[A-Za-z0-9&\-.\u0621-\u064a]{2,15}$")
_LEAD_ORG = re.compile(
    r"\s*(?:(?:,\s*)?(?:and|&|و)\s+|,\s*)?(?:[Tt]he\s+)?"
    r"(?P<name>[A-Z\u0621-\u064a][^,()]{1,120}?)\s*\((?P<short>[^()]{1,20})\)"
)
_QUOTE_OPEN = "“\"‘'«„"
_QUOTE_CLOSE = "”\"’'»“"
_SAYS = r"(?:says|said|stated|states|added|adds|commented|explained|noted|warned|declared)"
_QUOTE_AFTER_WHO = re.compile(
    rf"^(?P<who>[^{_QUOTE_OPEN}]{{3,250}}?)\s+{_SAYS}\s*[:,]?\s*"
    rf"(?P<quote>[{_QUOTE_OPEN}].+[{_QUOTE_CLOSE}])\s*\.?$",
    re.S,
)
_QUOTE_BEFORE_WHO = re.compile(
    rf"^(?P<quote>[{_QUOTE_OPEN}].+[{_QUOTE_CLOSE}])\s*,?\s*(?:{_SAYS}\s+(?P<who>[^{_QUOTE_OPEN}]{{3,250}}?)"
    rf"|(?P<who2>[^{_QUOTE_OPEN}]{{3,250}}?)\s+{_SAYS})\s*\.?$",
    re.S,
)
_QUOTE_AR = re.compile(
    rf"^(?:و?قال(?:ت)?|و?أضاف(?:ت)?|و?صرح(?:ت)?)\s+(?P<who>[^:：{_QUOTE_OPEN}]{{3,250}}?)\s*[:：]\s*"
    rf"(?P<quote>[{_QUOTE_OPEN}].+[{_QUOTE_CLOSE}])\s*\.?$",
    re.S,
)
# "director of advocacy at X": "at", "from" and "with" name the organization before "of" does.
_WHO_TITLE_AT_ORG = re.compile(
    r"^(?P<name>[^,]{3,80}),\s*(?P<title>.+?)\s+(?:at|from|with)\s+(?:the\s+)?(?P<org>.+?),?$"
)
_WHO_TITLE_ORG = re.compile(
    r"^(?P<name>[^,]{3,80}),\s*(?P<title>.+?)\s+of\s+(?:the\s+)?(?P<org>.+?),?$"
)
_WHO_ORG = re.compile(r"^(?P<name>[^,]{3,80}?)\s+(?:from|of|at|with)\s+(?:the\s+)?(?P<org>.+?),?$")
_WHO_TITLE = re.compile(r"^(?P<name>[^,،]{3,80})[,،]\s*(?P<title>.+?),?$")

_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")
_HIDDEN_EMAIL = re.compile(r"\[\s*email[\s\u00a0]*protected\s*\]", re.I)
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_LABEL = re.compile(
    r"^(?:e-?mail|e|tel(?:ephone)?|phone|mobile|cell|whatsapp|t|m|p|ph|البريد(?:\s+الإلكتروني)?"
    r"|الهاتف|هاتف|جوال)\s*[.:：]\s*",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"\b(?:manager|director|officer|coordinator|co-ordinator|spokes(?:person|man|woman)|head|"
    r"advis[eo]r|lead|president|chair(?:man|woman|person)?|secretary|executive|associate|"
    r"specialist|press|media|communications?|office|desk|team|founder|editor|fellow|analyst)\b"
    r"|مدير|مديرة|مسؤول|مسؤولة|منسق|منسقة|رئيس|رئيسة|المتحدث|المتحدثة|الناطق",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(?:council|association|task\s+force|institute|society|coalition|network|organi[sz]ation|"
    r"foundation|cent(?:er|re)|alliance|committee|campaign|union|forum|group|initiative|project|"
    r"fund|federation|league|movement|watch|trust|inc|ltd|ngo|for)\b"
    r"|منظمة|جمعية|مؤسسة|مركز|شبكة|تحالف|لجنة|رابطة|اتحاد|حملة|الدفاع المدني",
    re.I,
)
_ARABIC_ORG_WORD = r"(?:منظمة|جمعية|مؤسسة|مركز|شبكة|تحالف|لجنة|رابطة|اتحاد|حملة|هيئة|مجلس)"
_ARABIC_ORG_START = re.compile(rf"(?:^|\s)و?(?P<word>{_ARABIC_ORG_WORD})")
_ARABIC_TITLE_ORG = re.compile(rf"\s+(?:في|من|لدى)\s+(?P<org>{_ARABIC_ORG_WORD}.*)$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
HEADLINE_MAX = 300


def _plain(text: str) -> str:
    """A line without Markdown's heading marks, emphasis and links."""
    text = re.sub(r"^\s*#{1,6}\s+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])", r"\2", text)
    return text.strip().strip("*_").strip()


def _is_item(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERED.match(line))


def _item_text(line: str) -> str:
    match = _BULLET.match(line) or _NUMBERED.match(line)
    return match.group("item").strip() if match else line.strip()


def _blocks(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    blocks: list[list[str]] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        # List items a word processor wrote one paragraph each make one list.
        if blocks and all(map(_is_item, lines)) and all(map(_is_item, blocks[-1])):
            blocks[-1].extend(lines)
        else:
            blocks.append(lines)
    return blocks


def _markdown(lines: list[str]) -> str:
    """A block as Markdown: pasted bullets (•, ·, a dash) become list items, each on its line."""
    out: list[str] = []
    for line in lines:
        numbered = _NUMBERED.match(line)
        if numbered:
            item = f"{numbered.group('n')}. {numbered.group('item')}"
        elif _BULLET.match(line):
            item = f"- {_item_text(line)}"
        else:
            out.append(line)
            continue
        if out and not _is_item(out[-1]) and out[-1] != "":
            out.append("")
        out.append(item)
    # A paragraph line after a list starts a new paragraph, not the last item's tail.
    result: list[str] = []
    for i, line in enumerate(out):
        if i and line and not _is_item(line) and _is_item(out[i - 1]):
            result.append("")
        result.append(line)
    return "\n".join(result)


def _kind_match(line: str):
    plain = _plain(line)
    for kind, pattern in _KIND_ALONE:
        if pattern.match(plain):
            return kind, ""
    for kind, pattern in _KIND_PREFIX:
        match = pattern.match(plain)
        if match:
            return kind, match.group("rest").strip()
    return None


def _org(text: str, warnings: list[str]) -> dict | None:
    name = _plain(text).strip(" \t,;.•·")
    if not name:
        return None
    short = ""
    match = re.match(r"^(?P<name>.+?)\s*\((?P<short>[^()]{1,20})\)$", name)
    if match:
        candidate = match.group("short").strip()
        if _ACRONYM.match(candidate) and not candidate.islower():
            name, short = match.group("name").strip(), candidate
        else:
            name = match.group("name").strip()
            warnings.append(
                _("“(%(text)s)” after “%(name)s” was not taken as its short name.")
                % {"text": candidate, "name": name}
            )
    return {"name": name, "short_name": short}


def _orgs_split(lines: list[str], warnings: list[str]) -> list[dict]:
    orgs = []
    for line in lines:
        for part in re.split(r"\s*[•·;|▪]\s*", _item_text(line)):
            org = _org(part, warnings)
            if org:
                orgs.append(org)
    return orgs


def _lead_orgs(paragraph: str, warnings: list[str]) -> list[dict]:
    """Organizations named with their acronyms at the start of the lead: they issue it."""
    orgs, position = [], 0
    text = _plain(paragraph)
    while True:
        match = _LEAD_ORG.match(text, position)
        if not match:
            break
        org = _org(f"{match.group('name')} ({match.group('short')})", warnings)
        orgs.append(org)
        position = match.end()
    for org in orgs:
        # Arabic puts the verb first and writes "and" onto the next name ("تدين منظمة …
        # وشبكة …"): a name starts at its first organization word.
        start = _ARABIC_ORG_START.search(org["name"])
        if start:
            org["name"] = org["name"][start.start("word") :]
    # "X (XX) said" is a quote or a single source; a list of issuers is two or more.
    return orgs if len(orgs) >= 2 else []


def _person(who: str) -> dict:
    who = _plain(who).strip(" ,.")
    for pattern in (_WHO_TITLE_AT_ORG, _WHO_TITLE_ORG, _WHO_ORG, _WHO_TITLE):
        match = pattern.match(who)
        if match:
            parts = match.groupdict()
            title, org = (parts.get("title") or "").strip(), (parts.get("org") or "").strip()
            # "مدير البرامج في منظمة …": the organization follows "في" or "من".
            at = _ARABIC_TITLE_ORG.search(title)
            if at and not org:
                title, org = title[: at.start()].strip(), title[at.start("org") :].strip()
            name = parts["name"].strip()
            return {"person_name": name, "person_title": title, "organization": org}
    return {"person_name": who, "person_title": "", "organization": ""}


def _quote(paragraph: str) -> dict | None:
    text = _plain(re.sub(r"\s*\n\s*", " ", paragraph))
    text = re.sub(r"([:,])\s*[*_]+(?=[" + _QUOTE_OPEN + "])", r"\1 ", text)
    text = re.sub(r"([" + _QUOTE_CLOSE + r"])[*_]+", r"\1", text)
    for pattern in (_QUOTE_AFTER_WHO, _QUOTE_AR, _QUOTE_BEFORE_WHO):
        match = pattern.match(text)
        if not match:
            continue
        who = match.groupdict().get("who") or match.groupdict().get("who2") or ""
        if len(who.split()) > 25:
            continue
        quote = match.group("quote").strip()[1:-1].strip().rstrip(",")
        return {"text": quote, **_person(who)}
    return None


def _heading_line(line: str) -> bool:
    """A demand's heading on a line of its own: short, and bold or a Markdown heading."""
    plain = _plain(line)
    return (
        bool(re.match(r"^\s*(?:\*\*|__|#{1,6}\s)", line))
        and 0 < len(plain.split()) <= 8
        and not re.search(r"[.!?،,;]$", plain)
    )


def _demand(lines: list[str]) -> dict:
    if len(lines) >= 2 and _heading_line(lines[0]):
        return {"heading": _plain(lines[0]).rstrip(":："), "text": " ".join(lines[1:]).strip()}
    text = " ".join(_item_text(line) if i == 0 else line for i, line in enumerate(lines))
    text = re.sub(r"^\*\*([^*]+?)\s*([:：])\s*\*\*", r"\1\2", text.strip())
    text = re.sub(r"^\*\*([^*]+?)\*\*\s*([:：])", r"\1\2", text)
    match = _ITEM_HEADING.match(text)
    if match and len(match.group("heading").split()) <= 8:
        return {"heading": _plain(match.group("heading")), "text": match.group("text").strip()}
    return {"heading": "", "text": text}


def _demand_items(lines: list[str]) -> list[list[str]]:
    """Lines of a demands block, one list per demand (a bullet and its continuation lines)."""
    if not any(map(_is_item, lines)):
        return [lines]
    items: list[list[str]] = []
    for line in lines:
        if _is_item(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return items


def _looks_like_demands(lines: list[str]) -> bool:
    """Bullets, a "Heading: text" paragraph, or a bold heading line with its text under it."""
    if any(map(_is_item, lines)):
        return True
    if len(lines) >= 2:
        return _heading_line(lines[0])
    match = _ITEM_HEADING.match(_plain(lines[0]))
    return bool(match) and len(match.group("heading").split()) <= 8


def _contacts(lines: list[str], known: list[dict], warnings: list[str]) -> list[dict]:
    known_names = {o["name"].lower() for o in known} | {
        o["short_name"].lower() for o in known if o["short_name"]
    }
    contacts: list[dict] = []
    current: dict | None = None
    last_was_detail = False

    def start():
        nonlocal current
        current = {"name": "", "title": "", "organization": "", "email": "", "phone": ""}
        contacts.append(current)

    for line in lines:
        if line == "":
            if current and any(current.values()):
                current, last_was_detail = None, False
            continue
        line = _plain(_item_text(line))
        pieces = [line]
        if re.search(r"[,،]|\s[|/]\s", line):
            pieces = [p for p in re.split(r"\s*[,|،]\s*|\s/\s", line) if p]
        for piece in pieces:
            piece = _LABEL.sub("", piece.strip()).strip(" ,;")
            hidden = bool(_HIDDEN_EMAIL.search(piece))
            piece = _HIDDEN_EMAIL.sub("", piece)
            email = _EMAIL.search(piece)
            if email:
                piece = (piece[: email.start()] + piece[email.end() :]).strip(" ,;:()<>")
            phone = _PHONE.search(piece)
            if phone and sum(c.isdigit() for c in phone.group(0)) < 7:
                phone = None
            if phone:
                piece = (piece[: phone.start()] + piece[phone.end() :]).strip(" ,;:()")
            # What joined a name to its address: "Jane Doe at jane@… or +1 …".
            piece = re.sub(r"(?:^|\s+)(?:at|or|and|on|via|email|call|phone)(?=\s|$)", " ", piece)
            piece = _LABEL.sub("", piece.strip()).strip(" ,;:")
            if hidden:
                warnings.append(
                    _(
                        "An email address in the press contacts was hidden by the website it "
                        "was copied from (“[email protected]”): add it by hand."
                    )
                )
            if not (piece or email or phone or hidden):
                continue
            # A name after a contact's address or phone is the next contact's.
            if current is None or (piece and last_was_detail) or (email and current["email"]):
                start()
            if email:
                current["email"] = email.group(0)
            if phone:
                current["phone"] = current["phone"] or phone.group(0).strip()
            last_was_detail = bool(email or phone or hidden)
            if not piece:
                continue
            if piece.lower() in known_names or (
                _ORG_WORDS.search(piece) and not current["organization"]
            ):
                slot = "organization"
            elif _TITLE_WORDS.search(piece) and not current["title"]:
                slot = "title"
            elif re.fullmatch(r"[A-Z0-9&\-]{2,10}", piece) and not current["organization"]:
                slot = "organization"
            else:
                slot = next((s for s in ("name", "title", "organization") if not current[s]), "")
            if slot and not current[slot]:
                current[slot] = piece
    return [c for c in contacts if any(c.values())]


class _Parser:
    def __init__(self, text: str, *, today: datetime.date):
        self.today = today
        self.blocks = _blocks(text)
        self.warnings: list[str] = []
        self.result = {
            "kind": "",
            "headline": "",
            "standfirst": "",
            "dateline": "",
            "release_date": None,
            "body": "",
            "demands_heading": "",
            "demands": [],
            "closing": "",
            "quotes": [],
            "issuers": [],
            "signatories": [],
            "press_contacts_heading": "",
            "press_contacts": [],
            "image_credit": "",
            "language": "",
            "warnings": self.warnings,
            # The same warnings by the part each is about, to show beside it.
            "warnings_by_part": {},
        }
        self.date = None

    def _warn(self, part: str, *messages: str) -> None:
        self.warnings.extend(messages)
        if messages:
            self.result["warnings_by_part"].setdefault(part, []).extend(messages)

    def _credit(self, line: str) -> bool:
        match = _CREDIT.match(_plain(line))
        if match and len(line) <= 200:
            credit = re.sub(r"^\((.*)\)$", r"\1", match.group("credit").strip())
            self.result["image_credit"] = self.result["image_credit"] or credit
            return True
        return False

    def _date_set(self, found, *, from_text: bool = False):
        self.date = found
        self.result["release_date"] = found.date.isoformat()
        if found.year_inferred:
            self._warn(
                "release_date",
                _("The year of “%(date)s” is not given: %(year)s was assumed.")
                % {"date": found.text, "year": found.date.year},
            )
        if found.ambiguous:
            self._warn(
                "release_date",
                _("“%(date)s” was read day first, as %(iso)s.")
                % {"date": found.text, "iso": found.date.isoformat()},
            )
        if from_text:
            self._warn(
                "release_date",
                _(
                    "No date is printed with the release: “%(date)s” in its first paragraph "
                    "was taken."
                )
                % {"date": found.text},
            )

    def header(self) -> int:
        """Reads the kind, headline, standfirst and date; returns the first body block's index."""
        index = 0
        while index < len(self.blocks):
            lines = self.blocks[index]
            remaining = []
            for line in lines:
                kind = _kind_match(line) if not self.result["kind"] else None
                if kind and not (kind[1] and self.result["headline"]):
                    self.result["kind"] = kind[0].value
                    if kind[1]:
                        self.result["headline"] = kind[1]
                    continue
                if self._credit(line):
                    continue
                if not self.date and (found := is_date_line(_plain(line), today=self.today)):
                    self._date_set(found)
                    continue
                remaining.append(line)
            if not remaining:
                index += 1
                continue
            if not self.result["headline"]:
                first = _plain(remaining[0])
                if len(first) > HEADLINE_MAX or _is_item(remaining[0]):
                    raise ValidationError(
                        _(
                            "No headline was found: a release starts with its headline on a line "
                            "of its own (at most %(max)s characters)."
                        )
                        % {"max": HEADLINE_MAX},
                        code="no_headline",
                    )
                self.result["headline"] = first
                self.blocks[index] = remaining[1:]
                if not remaining[1:]:
                    index += 1
                continue
            if not self.result["standfirst"] and self._is_standfirst(remaining, index):
                self.result["standfirst"] = _plain(" ".join(remaining))
                index += 1
                continue
            self.blocks[index] = remaining
            return index
        return index

    def _is_standfirst(self, lines: list[str], index: int) -> bool:
        text = " ".join(lines)
        if len(text) > 400 or len(lines) > 3 or _is_item(lines[0]) or index + 1 >= len(self.blocks):
            return False
        plain = _plain(text)
        # A lead-in ("We demand:") or a list's heading opens what follows; it is no standfirst.
        if _DATELINE.match(plain) or _ORGS_LEAD.match(plain) or plain.endswith((":", "：")):
            return False
        marked = re.match(r"^\s*(#{2,6}\s|[*_])", lines[0])
        following = _plain(self.blocks[index + 1][0]) if self.blocks[index + 1] else ""
        followed_by_lead = bool(
            _DATELINE.match(following)
            or _DATELINE_TITLE.match(following)
            or _DATELINE_AR.match(following)
            or is_date_line(following, today=self.today)
        )
        return bool(marked or followed_by_lead or not re.search(r"[.!?؟]$", _plain(text)))

    def dateline(self, lines: list[str]) -> list[str]:
        # The raw line, not its plain text, so that links and emphasis in the lead survive;
        # a bold dateline ("**BEIRUT** --") loses its marks with the dateline.
        first = re.sub(r"^\s*\*\*([^*]{2,60}?)\*\*", r"\1", lines[0].strip())
        match = _DATELINE.match(first) or _DATELINE_TITLE.match(first) or _DATELINE_AR.match(first)
        if match and sum(c.isalpha() for c in match.group("place")) >= 3:
            self.result["dateline"] = match.group("place").strip(" ,")
            rest = first[match.end() :]
            if match.group("paren") and not self.date:
                found = date_find(match.group("paren"), today=self.today)
                if found:
                    self._date_set(found)
            first = rest
        found = date_find(first[:60], today=self.today)
        if found and found.start <= 1:
            after = re.match(r"^\s*[—–\-,:]+\s*", first[found.end :])
            if after:
                if not self.date:
                    self._date_set(found)
                first = first[found.end + after.end() :]
        return [first, *lines[1:]] if first.strip() else lines[1:]

    def parse(self) -> dict:
        if not self.blocks:
            raise ValidationError(_("The release is empty."), code="empty")
        start = self.header()
        # "Joint Statement on the Siege of …": the kind opens the headline, which keeps it.
        opening = _KIND_OPENING.match(self.result["headline"])
        if not self.result["kind"] and opening:
            self.result["kind"] = next(
                kind.value for kind, pattern in _KIND_ALONE if pattern.match(opening.group("kind"))
            )
        if not self.result["kind"]:
            self.result["kind"] = Kind.JOINT_STATEMENT.value
            self._warn("kind", _("No kind line was found: it was taken to be a joint statement."))
        body, closing, org_lines, contact_lines = [], [], [], []
        issued_lines: list[str] = []
        section = "body"
        first_paragraph = True
        for lines in self.blocks[start:]:
            lines = [line for line in lines if not self._credit(line)]
            lines = [line for line in lines if not _END_MARK.match(line)]
            if not lines:
                continue
            if first_paragraph and section == "body":
                lines = self.dateline(lines)
                first_paragraph = False
                if not lines:
                    continue
                if not self.date:
                    # The lead's opening says when; a date further on is an event's.
                    found = date_find(" ".join(lines)[:1500], today=self.today)
                    if found:
                        self._date_set(found, from_text=True)
                notes: list[str] = []
                self.result["issuers"] = _lead_orgs(" ".join(lines), notes)
                self._warn("issuers", *notes)
            head = _plain(lines[0])
            orgs_lead = _ORGS_LEAD.match(head) if len(head) <= 120 else None
            if orgs_lead and (orgs_lead.group("rest") or len(lines) > 1 or head.endswith(":")):
                section = "issued" if _ISSUED.match(head) else "orgs"
                items = [orgs_lead.group("rest")] if orgs_lead.group("rest") else []
                (issued_lines if section == "issued" else org_lines).extend(items + lines[1:])
                continue
            contacts_lead = _CONTACTS_LEAD.match(head) if len(head) <= 150 else None
            if contacts_lead:
                section = "contacts"
                self.result["press_contacts_heading"] = contacts_lead.group("lead").strip()
                rest = contacts_lead.group("rest")
                contact_lines.extend(([rest] if rest else []) + lines[1:] + [""])
                continue
            if section in {"orgs", "issued"} and self._list_like(lines):
                (issued_lines if section == "issued" else org_lines).extend(lines)
                continue
            if section == "contacts":
                contact_lines.extend([*lines, ""])
                continue
            if section == "body" and not self.result["demands"]:
                lead_at = self._demands_lead(lines)
                if lead_at is not None:
                    if lead_at:
                        body.append(_markdown(lines[:lead_at]))
                    self.result["demands_heading"] = _plain(lines[lead_at])
                    section = "demands"
                    lines = lines[lead_at + 1 :]
                    if not lines:
                        continue
            if section == "demands":
                if _looks_like_demands(lines):
                    for item in _demand_items(lines):
                        self.result["demands"].append(_demand(item))
                    continue
                if not self.result["demands"]:
                    # A lead-in that no list follows is an ordinary paragraph.
                    body.append(self.result["demands_heading"])
                    self.result["demands_heading"] = ""
                    section = "body"
                else:
                    section = "closing"
            if section in {"orgs", "issued"}:
                section = "closing" if self.result["demands"] else "body"
            quote = _quote("\n".join(lines))
            if quote:
                self.result["quotes"].append(quote)
                continue
            (closing if section == "closing" else body).append(_markdown(lines))
        if section == "demands" and not self.result["demands"]:
            body.append(self.result["demands_heading"])
            self.result["demands_heading"] = ""
        self.result["body"] = "\n\n".join(b for b in body if b.strip())
        self.result["closing"] = "\n\n".join(closing)
        notes = []
        issued = _orgs_split(issued_lines, notes)
        self._warn("issuers", *notes)
        if issued:
            self.result["issuers"] = issued
        # A sign-on list often repeats the issuers; they are listed once, as issuers.
        issuer_keys = {o["name"].lower() for o in self.result["issuers"]} | {
            o["short_name"].lower() for o in self.result["issuers"] if o["short_name"]
        }
        notes = []
        self.result["signatories"] = [
            org
            for org in _orgs_split(org_lines, notes)
            if org["name"].lower() not in issuer_keys
            and org["short_name"].lower() not in issuer_keys
        ]
        self._warn("signatories", *notes)
        notes = []
        self.result["press_contacts"] = _contacts(
            contact_lines, self.result["issuers"] + self.result["signatories"], notes
        )
        self._warn("press_contacts", *notes)
        self._finish()
        return self.result

    def _list_like(self, lines: list[str]) -> bool:
        """A block of names: one per line or between separators, none of them a sentence."""
        parts = [p for line in lines for p in re.split(r"\s*[•·;|▪]\s*", _plain(line))]
        return all(len(part) <= 150 and not re.search(r"[.!?]\s+\S", part) for part in parts)

    def _demands_lead(self, lines: list[str]) -> int | None:
        for at, line in enumerate(lines):
            plain = _plain(line)
            if plain.endswith((":", "：")) and len(plain) <= 300 and _DEMANDS_LEAD.search(plain):
                following = lines[at + 1 :]
                if not following or _looks_like_demands(following):
                    return at
        return None

    def _finish(self):
        result = self.result
        if not self.date:
            self._warn("release_date", _("No date was found: add the release date by hand."))
        if not result["body"]:
            self._warn("body", _("No body text was found."))
        if not result["issuers"] and not result["signatories"]:
            self._warn("issuers", _("No issuing or signatory organizations were found."))
        if result["standfirst"]:
            self._warn(
                "standfirst",
                _("The line under the headline was taken as the standfirst: check it."),
            )
        text = " ".join([result["headline"], result["body"]])
        arabic, latin = len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
        result["language"] = "ar" if arabic > latin else "en"


def release_parse(*, text: str | None = None, upload=None, today: datetime.date | None = None):
    """The parts of a release as a dict (the contract of issue 13); nothing is written.

    `text` is a paste (plain text, Markdown or HTML), `upload` a Django UploadedFile or a path;
    bad input raises ValidationError. `today` anchors a year the release does not print.
    """
    if (text is None) == (upload is None):
        raise ValidationError(
            _("Paste the release or upload it as a file: one of the two."), code="input"
        )
    raw = paste_read(text) if text is not None else upload_read(upload)
    if not raw.strip():
        raise ValidationError(_("The release is empty."), code="empty")
    return _Parser(raw, today=today or timezone.localdate()).parse()
