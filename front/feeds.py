"""RSS 2.0 and Atom feeds of public statements: all of them, a campaign's, an organization's.

Each exists in every interface language (/feeds/… in English, /ar/feeds/… in Arabic):
one item per release, in the feed's language when the release has a public statement
in it, otherwise the original, with the feed's own title and description translated.

Links are made from SITE_URL rather than from the request's host: the syndication
framework keeps a link that is already absolute, and a feed reader or a cache in
front of the site must get the same addresses whatever host the request came in on.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.links import absolute
from front.releases import public_originals, release_entries, with_release_issuers
from organizations.models import Organization
from statements.counts import signed_by_text
from statements.models import Statement, StatementUpdate, listed_signatures

FEED_LENGTH = 50


class StatementsRss(Feed):
    """Every public statement, newest publication first; archived and retracted ones too,
    since their pages stay public."""

    feed_type = Rss201rev2Feed
    url_name = "feed_rss"

    def plain_title(self, obj) -> str:
        return _("Jointly: joint statements")

    def plain_description(self, obj) -> str:
        return _("Joint statements published by coalitions of civil-society organizations.")

    # RSS readers take a title or description for HTML, the channel's as the items':
    # escaped, so that "A & B" or a "<b>" in a name reads as typed.
    def title(self, obj) -> str:
        return escape(self.plain_title(obj))

    def description(self, obj) -> str:
        return escape(self.plain_description(obj))

    def statements(self, obj):
        """The originals of the releases in the feed."""
        return public_originals()

    def link(self, obj) -> str:
        return absolute(reverse("statement_list"))

    def feed_url(self, obj) -> str:
        return absolute(reverse(self.url_name, args=[obj.slug] if obj else []))

    def items(self, obj):
        entries = (
            release_entries(self.statements(obj), get_language())
            .select_related("campaign")
            .prefetch_related(
                Prefetch(
                    "updates", queryset=StatementUpdate.objects.public(), to_attr="public_updates"
                )
            )
        )
        return with_release_issuers(entries.order_by("-published_at", "-id")[:FEED_LENGTH])

    def item_title(self, statement: Statement) -> str:
        # RSS readers take a title for HTML: escaped, as Django's default does.
        return escape(statement.title)

    def item_description(self, statement: Statement) -> str:
        # Both formats carry the description as HTML; the summary and the count are
        # plain text, a paragraph each. Its updates follow, newest first, so a reader
        # sees what happened since.
        parts = [
            f"<p>{escape(part)}</p>"
            for part in (statement.summary, signed_by_text(statement.signatory_counts))
            if part
        ]
        for update in statement.public_updates:
            heading = _("%(kind)s, %(date)s") % {
                "kind": update.get_kind_display(),
                "date": date_format(timezone.localtime(update.posted_at), "j F Y"),
            }
            parts.append(f"<h3>{escape(heading)}</h3>{linebreaks(update.text, autoescape=True)}")
        return "".join(parts)

    def item_link(self, statement: Statement) -> str:
        return absolute(statement.get_absolute_url())

    def item_guid(self, statement: Statement) -> str:
        # A tag URI, not the address: staff may still change a slug after publication.
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{statement.published_at:%Y-%m-%d}:statement:{statement.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, statement: Statement):
        return statement.published_at

    def item_updateddate(self, statement: Statement):
        # An update posted changes the entry as much as an edit of the text.
        return max([statement.updated_at, *(u.published_at for u in statement.public_updates)])

    def item_author_name(self, statement: Statement) -> str | None:
        names = [s.organization.name for s in statement.issuer_signatures]
        return ", ".join(names) or None

    def item_categories(self, statement: Statement) -> list[str]:
        categories = [statement.get_kind_display()]
        if statement.campaign:
            categories.append(statement.campaign.title)
        return categories


class AtomMixin:
    feed_type = Atom1Feed

    # An Atom title and subtitle are plain text; the summary is HTML, as in RSS.
    def title(self, obj) -> str:
        return self.plain_title(obj)

    def subtitle(self, obj) -> str:
        return self.plain_description(obj)

    def item_title(self, statement: Statement) -> str:
        return statement.title


class StatementsAtom(AtomMixin, StatementsRss):
    url_name = "feed_atom"


class CampaignRss(StatementsRss):
    url_name = "campaign_feed_rss"

    def get_object(self, request, slug: str) -> Campaign:
        return get_object_or_404(Campaign, slug=slug)

    def statements(self, campaign: Campaign):
        return campaign.statements.public().filter(translation_of=None)

    def plain_title(self, campaign: Campaign) -> str:
        return _("Jointly: %(title)s") % {"title": campaign.title}

    def plain_description(self, campaign: Campaign) -> str:
        return campaign.summary or _("Joint statements of the campaign %(title)s.") % {
            "title": campaign.title
        }

    def link(self, campaign: Campaign) -> str:
        return absolute(campaign.get_absolute_url())


class CampaignAtom(AtomMixin, CampaignRss):
    url_name = "campaign_feed_atom"


class OrganizationRss(StatementsRss):
    """The public statements an organization issued or signed."""

    url_name = "organization_feed_rss"

    def get_object(self, request, slug: str) -> Organization:
        organization = get_object_or_404(Organization, slug=slug)
        # An organization only known from drafts has no public page, nor a feed.
        if not self.statements(organization).exists():
            raise Http404("No public statement from this organization")
        return organization

    def statements(self, organization: Organization):
        # One signature per organization and statement: no duplicates to remove.
        return public_originals().filter(
            listed_signatures("signatures__"), signatures__organization=organization
        )

    def plain_title(self, organization: Organization) -> str:
        return _("Jointly: statements of %(name)s") % {"name": organization.name}

    def plain_description(self, organization: Organization) -> str:
        return _("Joint statements issued or signed by %(name)s.") % {"name": organization.name}

    def link(self, organization: Organization) -> str:
        return absolute(organization.get_absolute_url())


class OrganizationAtom(AtomMixin, OrganizationRss):
    url_name = "organization_feed_atom"
