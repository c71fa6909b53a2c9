from django.contrib.sitemaps.views import sitemap
from django.urls import path

from core.http import cacheable
from front import corrections, feeds, views
from front.api import api
from front.sitemaps import SITEMAPS

# <str:slug>, not <slug:slug>: slugs may be written in any script (allow_unicode).
# Pages people read, mounted under each language's prefix.
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("search/", views.search, name="search"),
    path("statements/<str:slug>/", views.statement_detail, name="statement_detail"),
    path(
        "statements/<str:slug>/individuals/",
        views.statement_individuals,
        name="statement_individuals",
    ),
    path(
        "statements/<str:slug>/share-<slug:fingerprint>.png",
        views.statement_share_image,
        name="statement_share_image",
    ),
    path("statements/<str:slug>.pdf", views.statement_pdf, name="statement_pdf"),
    path("statements/<str:slug>/embed/", views.statement_embed, name="statement_embed"),
    # The texts a statement's corrections replaced, and the comparison of two of them.
    path(
        "statements/<str:slug>/versions/<int:number>/",
        corrections.statement_version,
        name="statement_version",
    ),
    path(
        "statements/<str:slug>/compare/<int:old>/<int:new>/",
        corrections.statement_compare,
        name="statement_compare",
    ),
    path("organizations/suggest/", views.organization_suggest, name="organization_suggest"),
    path("organizations/<str:slug>/", views.organization_detail, name="organization_detail"),
    path("campaigns/<str:slug>/", views.campaign_detail, name="campaign_detail"),
    # Feeds, for readers and for other sites; like every page here, proxies may keep them.
    path("feeds/statements.rss", cacheable(feeds.StatementsRss()), name="feed_rss"),
    path("feeds/statements.atom", cacheable(feeds.StatementsAtom()), name="feed_atom"),
    path("campaigns/<str:slug>/feed.rss", cacheable(feeds.CampaignRss()), name="campaign_feed_rss"),
    path(
        "campaigns/<str:slug>/feed.atom", cacheable(feeds.CampaignAtom()), name="campaign_feed_atom"
    ),
    path(
        "organizations/<str:slug>/feed.rss",
        cacheable(feeds.OrganizationRss()),
        name="organization_feed_rss",
    ),
    path(
        "organizations/<str:slug>/feed.atom",
        cacheable(feeds.OrganizationAtom()),
        name="organization_feed_atom",
    ),
    path("oembed/", views.oembed, name="oembed"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
# What machines read, at one address in every language.
machine_patterns = [
    path("sitemap.xml", cacheable(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/", api.urls),
]
