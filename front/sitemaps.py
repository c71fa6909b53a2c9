"""The sitemap: the home page, the archive, and every public statement, campaign and organization.

Statements are listed at their own language's address; the other pages in every
interface language.

Retracted statements stay in it: their page stays public with the retraction notice,
and a crawler that comes back (retracting changes the lastmod) replaces the old text
in search results with the notice, which dropping the address would not do.
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from campaigns.models import Campaign
from statements.models import Statement
from statements.selectors import public_organizations


class SiteUrlSitemap(Sitemap):
    """Addresses under SITE_URL, whatever host the request came in on; the project does
    not use the sites framework."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return settings.SITE_URL.split("://", 1)[1]


class InEveryLanguage:
    """Pages that exist in every interface language: one address per language, each
    naming the others (xhtml:link hreflang), the unprefixed English one as x-default."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(InEveryLanguage, SiteUrlSitemap):
    def items(self):
        return ["home", "statement_list"]

    def location(self, name: str) -> str:
        return reverse(name)


class StatementSitemap(SiteUrlSitemap):
    """Public statements, last changed when their text or their list of signatories did.

    Any signature's latest timestamp counts: one still waiting for confirmation moves
    the date needlessly, which costs a crawler one more visit and nothing else. A
    translation's signatures are its original's.

    Each statement of a release with several public ones lists them all as its
    alternates (xhtml:link hreflang), the original as x-default.
    """

    def items(self):
        times = {}
        for name, field in [
            ("signed_at", "created_at"),
            ("decided_at", "decided_at"),
            ("withdrawn_at", "withdrawn_at"),
        ]:
            # A statement has signatures or an original with them, never both.
            times[name] = Coalesce(
                Max(f"signatures__{field}"), Max(f"translation_of__signatures__{field}")
            )
        return Statement.objects.public().annotate(**times).order_by("-release_date", "-id")

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        releases = {u["item"].translation_of_id or u["item"].pk for u in urls}
        members = defaultdict(list)
        found = Statement.objects.public().filter(
            Q(pk__in=releases) | Q(translation_of__in=releases)
        )
        # The original first: x-default.
        for member in found.order_by(F("translation_of").asc(nulls_first=True), "language"):
            members[member.translation_of_id or member.pk].append(member)
        for url in urls:
            release = members[url["item"].translation_of_id or url["item"].pk]
            if len(release) < 2:
                continue
            for member in release:
                location = f"{protocol}://{domain}{member.get_absolute_url()}"
                url["alternates"].append({"location": location, "lang_code": member.language})
            original = f"{protocol}://{domain}{release[0].get_absolute_url()}"
            url["alternates"].append({"location": original, "lang_code": "x-default"})
        return urls

    def lastmod(self, statement: Statement):
        times = [statement.signed_at, statement.decided_at, statement.withdrawn_at]
        return max([statement.updated_at, *filter(None, times)])


class CampaignSitemap(InEveryLanguage, SiteUrlSitemap):
    """Campaigns with a public statement, last changed when the newest of those did."""

    def items(self):
        public = Q(statements__status__in=Statement.PUBLIC_STATUSES)
        return (
            Campaign.objects.annotate(changed_at=Max("statements__updated_at", filter=public))
            .filter(changed_at__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, campaign: Campaign):
        return campaign.changed_at


class OrganizationSitemap(InEveryLanguage, SiteUrlSitemap):
    """Organizations listed on a public statement: those with a public page."""

    def items(self):
        return (
            public_organizations()
            .annotate(changed_at=Max("signatures__statement__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, organization):
        return max(organization.updated_at, organization.changed_at)


SITEMAPS = {
    "pages": PagesSitemap,
    "statements": StatementSitemap,
    "campaigns": CampaignSitemap,
    "organizations": OrganizationSitemap,
}
