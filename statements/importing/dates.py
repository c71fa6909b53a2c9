"""The dates releases print, in English and Arabic, to a `datetime.date`.

"OCTOBER 10, 2023", "May 6, 2019", "10 October 2023", "21/12/2015", "2023-10-10",
"10 تشرين الأول 2023" (in either set of digits), and without a year ("Sunday, June 25"),
where the year is the latest one in which that day fell on that weekday (or the latest
not in the future).
"""

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Arabic: the names used in Egypt and the Gulf, then those of the Levant and Iraq.
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
}  # fmt: skip

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Longest names first, so "كانون الثاني" wins over a shorter name inside it.
_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?(?![^\W\d_])"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WD = rf"(?:(?P<weekday>{_WEEKDAY})\.?,?\s+)?"
_PATTERNS = [
    # 2023-10-10
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    # 21/12/2015, 21.12.2015, 21-12-2015
    re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-](?P<year>(?:19|20)\d\d)(?!\d)"),
    # Sunday, October 10, 2023 / Oct. 10th 2023 / June 25
    re.compile(
        rf"{_WD}(?P<month>{_MONTH})(?![^\W\d_])\.?\s+{_DAY}(?:,?\s+{_YEAR}(?!\d))?",
        re.I,
    ),
    # Sunday 10 October 2023 / 10th of October, 2023 / 10 تشرين الأول 2023م
    re.compile(
        rf"{_WD}{_DAY}\s+(?:of\s+)?(?P<month>{_MONTH})(?![^\W\d_])\.?(?:,?\s+{_YEAR}(?!\d))?",
        re.I,
    ),
]


@dataclass
class FoundDate:
    date: datetime.date
    start: int
    end: int
    text: str
    year_inferred: bool = False
    ambiguous: bool = False


def _year_infer(month: int, day: int, weekday: int | None, today: datetime.date) -> int | None:
    """The latest year (not after today's) whose month/day fits; with a weekday, one it fell on."""
    for year in range(today.year + (1 if weekday is not None else 0), today.year - 12, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if weekday is None:
            if candidate <= today + datetime.timedelta(days=31):
                return year
        elif candidate.weekday() == weekday and candidate <= today + datetime.timedelta(days=31):
            return year
    return None


def date_find(text: str, *, today: datetime.date, allow_no_year: bool = True) -> FoundDate | None:
    """The first date in `text`, or None."""
    plain = text.translate(_ARABIC_DIGITS)
    found: list[FoundDate] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(plain):
            result = _match_to_date(match, today=today, allow_no_year=allow_no_year)
            if result:
                found.append(result)
                break
    return min(found, key=lambda f: f.start) if found else None


def _match_to_date(match, *, today, allow_no_year) -> FoundDate | None:
    groups = match.groupdict()
    ambiguous = False
    if "a" in groups and groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        # Releases in our coalitions write the day first; a month over 12 says otherwise.
        day, month = (second, first) if second > 12 >= first else (first, second)
        ambiguous = first <= 12 and second <= 12 and first != second
    else:
        month_value = groups["month"]
        # "may 5" in a sentence is a verb; a month in a date is written with a capital.
        if month_value.isascii() and month_value.islower():
            return None
        month = int(month_value) if month_value.isdigit() else MONTHS[month_value.lower()]
        day = int(groups["day"])
    weekday = WEEKDAYS.get((groups.get("weekday") or "").lower())
    inferred = False
    if groups.get("year"):
        year = int(groups["year"])
    else:
        if not allow_no_year:
            return None
        year = _year_infer(month, day, weekday, today)
        inferred = True
        if year is None:
            return None
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return FoundDate(
        date=date,
        start=match.start(),
        end=match.end(),
        text=match.group(0).strip(),
        year_inferred=inferred,
        ambiguous=ambiguous,
    )


def is_date_line(line: str, *, today: datetime.date) -> FoundDate | None:
    """A line that holds a date and little else (a weekday, a place, dashes)."""
    found = date_find(line, today=today) if len(line) <= 120 else None
    if not found:
        return None
    rest = (line[: found.start] + line[found.end :]).strip(" \t–—-,.()|*_#")
    return found if len(rest) <= 3 else None
