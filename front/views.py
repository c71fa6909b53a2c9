"""Every page anyone can read: home, archive, search, the statement's page, share image,
PDF and embed, oEmbed, the campaign and organization pages, the privacy notice, and
robots.txt."""

import re
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from campaigns.models import Campaign
from campaigns.selectors import calls_to_action
from core.http import cacheable
from core.languages import interface_language
from core.links import absolute, absolute_reverse
from core.pagecache import cached_page, kept_fragment
from front.forms import ArchiveFilterForm, SearchForm
from front.releases import (
    archive_entries,
    public_originals,
    release_alternates,
    release_entries,
    with_release_counts,
    with_release_issuers,
)
from front.share_image import ShareCard, share_image_png
from organizations.models import Organization
from statements.embeds import EMBED_HEIGHT, EMBED_WIDTH, embed_code
from statements.models import PrivacyNotice, Signature, Statement
from statements.pdf import statement_pdf as statement_pdf_bytes
from statements.ratelimits import rate_limited
from statements.search import SEARCH_MARK_START, SEARCH_MARK_STOP, SearchResults
from statements.selectors import (
    INDIVIDUALS_SHOWN,
    campaign_calls_to_action,
    individuals_page,
    public_organizations,
    signatory_counts,
    statement_page_actions,
    statement_text_context,
)

ARCHIVE_PAGE_SIZE = 20
# What a share image's address shows never changes, so it may be kept for a year.
SHARE_IMAGE_MAX_AGE = 365 * 24 * 60 * 60
SEARCH_PAGE_SIZE = 20


# Where the statement page's sign button and calls to action go in its kept HTML.
ACTIONS = mark_safe(f"<!-- actions {uuid.uuid4().hex} -->")


@cacheable
@cached_page("statement")
def statement_detail(request, slug: str):
    public = Statement.objects.public()
    built = []

    def page() -> tuple[str, str]:
        statement = get_object_or_404(
            public.select_related("campaign", "corrected_by", "translation_of"), slug=slug
        )
        built.append(statement)
        return _statement_page(request, statement)

    # All but the sign button and the calls to action looks the same to every visitor of
    # this address until the statement changes: kept rendered around them, with the page
    # cache's generations, so that a render the page cache could not spare without a
    # change (the page past its fresh_until, or dropped) reads only the statement and its
    # calls. Only the page needs what the statement refers to: half the cost of such a
    # render was reading it along.
    before, after = kept_fragment(
        f"statement-page:{request.path}:{translation.get_language()}", f"statement:{slug}", page
    )
    statement = (
        built[0] if built else get_object_or_404(public.select_related("campaign"), slug=slug)
    )
    context, changes = statement_page_actions(statement)
    actions = render_to_string("statements/_statement_actions.html", context, request)
    response = HttpResponse(before + actions + after)
    response.fresh_until = min(changes, default=None)  # for the page cache
    return response


def _statement_page(request, statement: Statement) -> tuple[str, str]:
    """The statement's page rendered but for its sign button and calls to action: the
    HTML before them and after."""
    context = statement_text_context(statement) | {"actions": ACTIONS}
    page_url = absolute(statement.get_absolute_url())
    context["oembed_url"] = (
        absolute_reverse("oembed") + "?" + urlencode({"url": page_url, "format": "json"})
    )
    # The same text in other languages: linked for readers, crawlers and the switcher.
    alternates = release_alternates(statement)
    context["alternates"] = alternates
    context["release_links"] = {m.language: m.get_absolute_url() for m in alternates}
    context["other_languages"] = [m for m in alternates if m.pk != statement.pk]
    # Only the card's address is worked out here; the image view draws it, in the
    # statement's language whatever the page's.
    with translation.override(interface_language(statement.language)):
        context["share_card"] = ShareCard.of(statement, counts=context["signatory_counts"])
    before, after = render_to_string("front/statement_detail.html", context, request).split(ACTIONS)
    return before, after


# A page number of more digits than this is no page: it would overflow the query's offset.
PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


@cacheable
@cached_page("statement", params=("page",))
def statement_individuals(request, slug: str):
    """The individuals who signed, a page at a time: where the statement page's "Show
    all" leads, and where its "Show more" button fetches the next rows from."""
    statement = get_object_or_404(
        Statement.objects.public().select_related("translation_of"), slug=slug
    )
    number = request.GET.get("page") or "1"
    if not PAGE_NUMBER.fullmatch(number) or int(number) < 1:
        raise Http404("No such page")
    individuals = individuals_page(statement, page=int(number))
    if not individuals.rows:
        raise Http404("No such page")
    # The rows are read already: the paginator only numbers the pages.
    page = Paginator(range(individuals.total), INDIVIDUALS_SHOWN).page(int(number))
    context = {
        "statement": statement,
        "individuals": individuals,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "numbered": statement.original.signatory_numbering,
        "details": statement.original.signatory_details,
    }
    return render(request, "front/statement_individuals.html", context)


@cacheable
def home(request):
    published = public_originals().filter(status=Statement.Status.PUBLISHED)
    latest = with_release_issuers(release_entries(published, request.LANGUAGE_CODE)[:6])
    campaigns = Campaign.objects.active()[:6]
    return render(request, "front/home.html", {"latest": latest, "campaigns": campaigns})


@cacheable
def statement_list(request):
    form = ArchiveFilterForm(request.GET or None)
    lookups, status = {}, 200
    if form.is_bound:
        if form.is_valid():
            lookups = form.lookups()
        else:
            status = 400
    # The page's ids first, then its statements: the database skips ids alone, read from
    # the archive's index, rather than whole statements with their texts.
    entries = archive_entries(request.LANGUAGE_CODE, **lookups).values_list("pk", flat=True)
    # A release is one entry: its originals are as many, and counted from the index alone
    # rather than by testing each statement for a translation.
    originals = public_originals().filter(**lookups)
    if status == 400:
        entries, originals = entries.none(), originals.none()
    paginator = Paginator(entries, ARCHIVE_PAGE_SIZE)
    paginator.count = originals.count()
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    ids = list(page.object_list)
    shown = Statement.objects.select_related("campaign").in_bulk(ids)
    page.object_list = with_release_issuers([shown[pk] for pk in ids])
    context = {"form": form, "page": page, "filtered": form.is_bound and form.is_valid()}
    return render(request, "front/statement_list.html", context, status=status)


@cacheable
def statement_share_image(request, slug: str, fingerprint: str):
    """The statement's share card, at an address that changes whenever what it shows does."""
    statement = get_object_or_404(
        Statement.objects.public().select_related("translation_of"), slug=slug
    )
    with translation.override(interface_language(statement.language)):
        card = ShareCard.of(statement, counts=signatory_counts(statement))
    if fingerprint != card.fingerprint:
        # Shared before the headline or the count changed: the current card stands in.
        return redirect("statement_share_image", statement.slug, card.fingerprint)
    response = HttpResponse(share_image_png(card), content_type="image/png")
    patch_cache_control(response, public=True, max_age=SHARE_IMAGE_MAX_AGE, immutable=True)
    return response


@cacheable
def organization_detail(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    # Signatures are on the originals; each is listed in the reader's language if it can be.
    roles = dict(
        Signature.objects.on_public_statements()
        .filter(organization=organization)
        .values_list("statement_id", "role")
    )
    # An organization only known from drafts is not public yet.
    if not roles:
        raise Http404("No public statement from this organization")
    entries = release_entries(Statement.objects.filter(pk__in=roles), request.LANGUAGE_CODE)
    entries = with_release_counts(
        entries.order_by("-release_date", "-id"), Signature.Role.SIGNATORY
    )
    role = {s.pk: roles[s.translation_of_id or s.pk] for s in entries}
    context = {
        "organization": organization,
        "issued": [s for s in entries if role[s.pk] == Signature.Role.ISSUER],
        "signed": [s for s in entries if role[s.pk] == Signature.Role.SIGNATORY],
    }
    return render(request, "front/organization_detail.html", context)


@cacheable
@cached_page("campaign")
def campaign_detail(request, slug: str):
    """The campaign, its calls to action, its public statements over time and who took part."""
    campaign = get_object_or_404(Campaign, slug=slug)
    # Organizations counted with their issuers: all who took part.
    statements = with_release_counts(
        release_entries(
            campaign.statements.public().filter(translation_of=None), request.LANGUAGE_CODE
        ).order_by("-release_date", "-id")
    )
    organizations = (
        public_organizations(Signature.objects.filter(statement__campaign=campaign))
        .distinct()
        .order_by("name")
    )
    calls, change = calls_to_action(campaign_calls_to_action(campaign))
    context = {
        "campaign": campaign,
        "statements": statements,
        "organizations": organizations,
        "calls_to_action": calls,
    }
    response = render(request, "front/campaign_detail.html", context)
    response.fresh_until = change  # for the page cache
    return response


# Sharing: the PDF, the card partners embed, oEmbed and robots.txt.


@cacheable
def statement_pdf(request, slug: str):
    statement = get_object_or_404(
        Statement.objects.public().select_related("corrected_by"), slug=slug
    )
    response = HttpResponse(statement_pdf_bytes(statement), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{slug}.pdf")
    # Search engines credit the page, not its printout.
    response["Link"] = f'<{absolute(statement.get_absolute_url())}>; rel="canonical"'
    return response


@cacheable
@xframe_options_exempt
@csp_override(settings.SECURE_CSP | {"frame-ancestors": ["*"]})
def statement_embed(request, slug: str):
    """The card partner websites show in an iframe: the only page any site may frame."""
    statement = get_object_or_404(Statement.objects.public(), slug=slug)
    with_release_issuers([statement])  # its issuers and counts
    # The card speaks the statement's language, whatever page it is framed in.
    with translation.override(interface_language(statement.language)):
        return render(request, "front/embed.html", {"statement": statement})


OEMBED_SIZE_LIMITS = {"maxwidth": EMBED_WIDTH, "maxheight": EMBED_HEIGHT}


@cacheable
def oembed(request):
    """oEmbed (https://oembed.com/) for statement pages: JSON only, as the spec allows."""
    url = request.GET.get("url", "").strip()
    if not url:
        error = _("Give the address of a statement as ?url=.")
        return JsonResponse({"error": error}, status=400)
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": _("Only format=json is available.")}, status=501)
    size = {}
    for name, largest in OEMBED_SIZE_LIMITS.items():
        raw = request.GET.get(name, str(largest))
        if not raw.isdecimal() or int(raw) == 0:
            error = _("%(name)s must be a positive whole number.") % {"name": name}
            return JsonResponse({"error": error}, status=400)
        size[name] = min(int(raw), largest)
    slug = statement_slug_from_url(url)
    statement = slug and Statement.objects.public().filter(slug=slug).first()
    if not statement:
        error = _("No public statement at this address.")
        return JsonResponse({"error": error}, status=404)
    with_release_issuers([statement])
    width, height = size["maxwidth"], size["maxheight"]
    data = {
        "version": "1.0",
        "type": "rich",
        "title": statement.title,
        "provider_name": "Jointly",
        "provider_url": absolute_reverse("home"),
        "html": embed_code(statement, width=width, height=height),
        "width": width,
        "height": height,
        "cache_age": 3600,
    }
    if statement.issuer_signatures:
        data["author_name"] = ", ".join(s.organization.name for s in statement.issuer_signatures)
    return JsonResponse(data)


def statement_slug_from_url(url: str) -> str | None:
    """The slug in the address of one of our statement pages (http or https); None otherwise."""
    site = urlsplit(settings.SITE_URL)
    try:
        parts = urlsplit(url)
        ours = parts.scheme in ("http", "https") and (parts.hostname, parts.port) == (
            site.hostname,
            site.port,
        )
        match = resolve(parts.path) if ours else None
    except (ValueError, Resolver404):  # not a URL, a port that is not a number, not our path
        return None
    return match.kwargs["slug"] if match and match.url_name == "statement_detail" else None


@cacheable
def privacy_notice(request):
    # The notice in the page's language; until staff write that one, the one in the
    # site's default language, marked with its own language and direction.
    notices = {n.language: n for n in PrivacyNotice.objects.all()}
    notice = notices.get(request.LANGUAGE_CODE) or notices.get(settings.LANGUAGE_CODE)
    return render(request, "front/privacy.html", {"notice": notice})


@cacheable
def robots_txt(request):
    # The pages partners reach by link are under every language's prefix (none for English).
    prefixes = [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _name in settings.LANGUAGES
    ]
    context = {"sitemap_url": absolute_reverse("sitemap"), "prefixes": prefixes}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


@cacheable
def search(request):
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    page = None
    if query:
        if rate_limited(request, "search", per_ip=settings.SEARCH_RATE_PER_IP):
            return render(request, "429.html", {"searching": True}, status=429)
        number = request.GET.get("page") or 1
        try:
            results = SearchResults(
                Statement.objects.public().select_related("campaign"),
                query,
                number=int(number),
                size=SEARCH_PAGE_SIZE,
            )
            page = Paginator(results, SEARCH_PAGE_SIZE).page(number)
        except (ValueError, InvalidPage):
            raise Http404("No such page") from None
        page.object_list = with_release_issuers(page.object_list)
        for statement in page:
            statement.snippet = search_snippet(statement)
    context = {"form": form, "query": query, "page": page}
    return render(request, "front/search.html", context, status=200 if valid else 400)


# Search headlines are cut from the Markdown source: links keep their text, and
# emphasis, code, heading and quote marks go.
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKUP = re.compile(r"[*`]+|^[ \t]*(?:#+|>)[ \t]*", re.MULTILINE)


def search_snippet(statement: Statement) -> str:
    """A search result's excerpt as HTML, the words that matched in <mark>."""
    text = statement.headline or Truncator(statement.standfirst or statement.body).words(40)
    text = MARKDOWN_MARKUP.sub("", MARKDOWN_LINK.sub(r"\1", text))
    html = escape(" ".join(text.split()))
    return mark_safe(html.replace(SEARCH_MARK_START, "<mark>").replace(SEARCH_MARK_STOP, "</mark>"))


@cacheable
def organization_suggest(request):
    """Organizations whose name looks like the query, for the co-sign form's suggestions
    and the archive's organization filter.

    Only organizations already public (listed on a public statement) or verified
    by staff are suggested, so the list reveals nothing unpublished; with `public=1`,
    only the public ones: those the archive has statements of.
    """
    query = " ".join(request.GET.get("q", "").split())[:100]
    if len(query) < 2:
        return JsonResponse({"organizations": []})
    known = Q(pk__in=public_organizations().values("pk"))
    if request.GET.get("public") != "1":
        known |= Q(verified=True)
    found = (
        Organization.objects.filter(known)
        .filter(Q(name__icontains=query) | Q(short_name__iexact=query) | Q(domain__icontains=query))
        .distinct()
        .order_by("name")[:8]
    )
    organizations = [
        {
            "name": o.name,
            "slug": o.slug,
            "short_name": o.short_name,
            "website": o.website,
            "country": o.country.code or "",
            "kind": o.kind,
        }
        for o in found
    ]
    return JsonResponse({"organizations": organizations})
