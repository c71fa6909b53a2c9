"""Links that share a page on social networks, by email or by copying it: no third-party script."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Open Graph wants language_TERRITORY: the locales Facebook knows for our languages.
OG_LOCALES = {
    "en": "en_US",
    "ar": "ar_AR",
    "fr": "fr_FR",
    "es": "es_ES",
    "de": "de_DE",
    "tr": "tr_TR",
    "ku": "ku_TR",
}


@dataclass(frozen=True)
class ShareLink:
    label: str
    name: str  # what the link does, for assistive technology: "Share on X"
    href: str
    new_tab: bool = True

    @property
    def accessible_name(self) -> str:
        """The name, and whether the link opens a new tab, which sighted people see happen."""
        if not self.new_tab:
            return self.name
        return _("%(name)s (opens in a new tab)") % {"name": self.name}


def _query(**params: str) -> str:
    # %20 rather than +: mail clients read a mailto: address's + literally (RFC 6068).
    return urlencode(params, quote_via=quote)


def share_links(*, url: str, title: str) -> list[ShareLink]:
    """Links that open each network's share form with the page's absolute url and title."""
    text_and_url = f"{title} {url}"
    return [
        ShareLink("X", _("Share on X"), "https://x.com/intent/post?" + _query(text=title, url=url)),
        ShareLink(
            "Facebook",
            _("Share on Facebook"),
            "https://www.facebook.com/sharer/sharer.php?" + _query(u=url),
        ),
        ShareLink(
            "LinkedIn",
            _("Share on LinkedIn"),
            "https://www.linkedin.com/sharing/share-offsite/?" + _query(url=url),
        ),
        ShareLink(
            "WhatsApp", _("Share on WhatsApp"), "https://wa.me/?" + _query(text=text_and_url)
        ),
        ShareLink(
            "Telegram",
            _("Share on Telegram"),
            "https://t.me/share/url?" + _query(url=url, text=title),
        ),
        ShareLink(
            "Bluesky",
            _("Share on Bluesky"),
            "https://bsky.app/intent/compose?" + _query(text=text_and_url),
        ),
        ShareLink(
            pgettext("sharing", "Email"),
            _("Share by email"),
            "mailto:?" + _query(subject=title, body=f"{title}\r\n\r\n{url}"),
            new_tab=False,
        ),
    ]
