"""A moment written out for a reader in the active language, its time zone spelled out.

An embargo or a deadline is read by people in other countries, so "09:00 UTC" is
not enough for everyone, and "T" of Django's date format gives an abbreviation
("EET", "+03") that few recognize and none translates. The name of the zone is a
translated label for the zones coalitions work in; any other zone is named by its
key and its offset from UTC, which reads the same in every language.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

ZONE_NAMES = {
    "UTC": _("Coordinated Universal Time"),
    "Etc/UTC": _("Coordinated Universal Time"),
    "Europe/London": _("London time"),
    "Europe/Paris": _("Central European Time (Paris)"),
    "Europe/Berlin": _("Central European Time (Berlin)"),
    "Europe/Brussels": _("Central European Time (Brussels)"),
    "Europe/Istanbul": _("Türkiye time (Istanbul)"),
    "Asia/Damascus": _("Syria time (Damascus)"),
    "Asia/Beirut": _("Lebanon time (Beirut)"),
    "Asia/Amman": _("Jordan time (Amman)"),
    "America/New_York": _("US Eastern Time (New York)"),
}


def _offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_name(moment: datetime) -> str:
    """The time zone of an aware datetime, named for the reader."""
    key = getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)
    if key in ZONE_NAMES:
        return str(ZONE_NAMES[key])
    return gettext("%(zone)s time (UTC%(offset)s)") % {"zone": key, "offset": _offset(moment)}


# Translators: Django date formats (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date).
FORMATS = {
    "long": pgettext_lazy("date and time in an email", "l j F Y, H:i"),
    "medium": pgettext_lazy("date and time in an email subject", "j F Y, H:i"),
    "short": pgettext_lazy("day and time in an email subject", "j F, H:i"),
}


def spelled_datetime(value: datetime, form: str = "long", *, zone: str = "") -> str:
    """The date and time of `value` in the site's time zone (or `zone`), with that zone's
    name: "Wednesday 12 July 2023, 09:00 Coordinated Universal Time" (long), without the
    weekday (medium), or without the weekday and year (short)."""
    moment = timezone.localtime(value, ZoneInfo(zone) if zone else None)
    return gettext("%(datetime)s %(zone)s") % {
        "datetime": dateformat.format(moment, str(FORMATS[form])),
        "zone": zone_name(moment),
    }
