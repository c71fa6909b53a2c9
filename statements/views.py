import logging
import re
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import uri_to_iri
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from campaigns.models import CallToAction, Campaign
from config.pagecache import cached_page
from organizations.models import Organization, Suppression, normalized_email
from statements import press, services
from statements.emails import absolute
from statements.embeds import EMBED_HEIGHT, EMBED_WIDTH, embed_code
from statements.forms import (
    ArchiveFilterForm,
    CosignForm,
    ResendForm,
    SearchForm,
    SignoffAnswerForm,
)
from statements.markdown import render_markdown
from statements.models import (
    SEARCH_MARK_START,
    SEARCH_MARK_STOP,
    Signature,
    SignatureToken,
    Statement,
)
from statements.share_image import ShareCard, share_image_png

logger = logging.getLogger(__name__)

ARCHIVE_PAGE_SIZE = 20
# What a share image's address shows never changes, so it may be kept for a year.
SHARE_IMAGE_MAX_AGE = 365 * 24 * 60 * 60
SEARCH_PAGE_SIZE = 20


SIGNATORY_ORDER = {
    Statement.SignatoryOrder.ALPHABETICAL: ["organization__name"],
    Statement.SignatoryOrder.SIGNED: ["created_at", "id"],
    Statement.SignatoryOrder.MANUAL: ["position", "id"],
}


def with_issuers(statements):
    """Statements for a list, each with its issuing organizations in one extra query."""
    issuers = (
        Signature.objects.listed().filter(role=Signature.Role.ISSUER).select_related("organization")
    )
    return statements.select_related("campaign").prefetch_related(
        Prefetch("signatures", queryset=issuers, to_attr="issuer_signatures")
    )


def statement_context(statement: Statement) -> dict:
    """Everything the statement's text shows, in as many queries however many signed it."""
    signatures = list(
        statement.signatures.listed()
        .select_related("organization")
        .order_by(*SIGNATORY_ORDER[statement.signatory_order])
    )
    return {
        "statement": statement,
        "demands": list(statement.demands.all()),
        "quotes": list(statement.quotes.select_related("organization")),
        "issuers": [s.organization for s in signatures if s.role == Signature.Role.ISSUER],
        "signatories": [s.organization for s in signatures if s.role == Signature.Role.SIGNATORY],
        "press_contacts": [
            p.contact for p in statement.press_contacts.select_related("contact__organization")
        ],
        "related_links": list(statement.related_links.all()),
    }


def calls_to_action(calls) -> tuple[list[CallToAction], datetime | None]:
    """The calls shown now that a reader can act on, in one query, and the next time
    that changes by itself: a call starts or ends, a co-sign call's statement closes."""
    now = timezone.now()
    coming = list(calls.not_ended(now).select_related("statement"))
    shown = [call for call in coming if call.has_started(now) and call.is_actionable()]
    changes = [call.starts_at for call in coming if not call.has_started(now)]
    changes += [call.ends_at for call in shown if call.ends_at]
    changes += [
        call.statement.cosign_closes_at
        for call in shown
        if call.kind == CallToAction.Kind.COSIGN and call.statement.cosign_closes_at
    ]
    return shown, min(changes, default=None)


def render_statement(request, statement: Statement, *, preview: bool = False):
    page_url = absolute(statement.get_absolute_url())
    oembed_url = absolute(reverse("oembed")) + "?" + urlencode({"url": page_url, "format": "json"})
    context = statement_context(statement) | {"preview": preview, "oembed_url": oembed_url}
    changes = []
    if statement.cosign_is_open() and statement.cosign_closes_at:
        changes.append(statement.cosign_closes_at)  # the sign button goes then
    if not preview:
        # Only the card's address is worked out here; the image view draws it.
        signatories = len(context["signatories"])
        context["share_card"] = ShareCard.of(statement, signatories=signatories)
    # Nobody is asked to act on an archived or retracted statement.
    if preview or statement.status == Statement.Status.PUBLISHED:
        calls, change = calls_to_action(CallToAction.objects.for_statement(statement))
        context["calls_to_action"] = calls
        changes += [change] if change else []
    response = render(request, "statements/statement_detail.html", context)
    response.fresh_until = min(changes, default=None)  # for the page cache
    return response


def home(request):
    latest = with_issuers(Statement.objects.published())[:6]
    campaigns = Campaign.objects.active()[:6]
    return render(request, "statements/home.html", {"latest": latest, "campaigns": campaigns})


def statement_list(request):
    form = ArchiveFilterForm(request.GET or None)
    statements = Statement.objects.public()
    status = 200
    if form.is_bound:
        if form.is_valid():
            statements = form.filter(statements)
        else:
            status = 400
            statements = statements.none()
    paginator = Paginator(with_issuers(statements), ARCHIVE_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    context = {"form": form, "page": page, "filtered": form.is_bound and form.is_valid()}
    return render(request, "statements/statement_list.html", context, status=status)


@cached_page("statement")
def statement_detail(request, slug: str):
    statement = get_object_or_404(Statement.objects.public().select_related("campaign"), slug=slug)
    return render_statement(request, statement)


def statement_share_image(request, slug: str, fingerprint: str):
    """The statement's share card, at an address that changes whenever what it shows does."""
    statement = get_object_or_404(Statement.objects.public(), slug=slug)
    signatories = statement.signatures.listed().filter(role=Signature.Role.SIGNATORY).count()
    card = ShareCard.of(statement, signatories=signatories)
    if fingerprint != card.fingerprint:
        # Shared before the headline or the count changed: the current card stands in.
        return redirect("statement_share_image", statement.slug, card.fingerprint)
    response = HttpResponse(share_image_png(card), content_type="image/png")
    patch_cache_control(response, public=True, max_age=SHARE_IMAGE_MAX_AGE, immutable=True)
    return response


def organization_detail(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    signatures = list(
        Signature.objects.listed()
        .filter(organization=organization, statement__status__in=Statement.PUBLIC_STATUSES)
        .select_related("statement")
        .order_by("-statement__release_date", "-statement_id")
    )
    # An organization only known from drafts is not public yet.
    if not signatures:
        raise Http404("No public statement from this organization")
    context = {
        "organization": organization,
        "issued": [s.statement for s in signatures if s.role == Signature.Role.ISSUER],
        "signed": [s.statement for s in signatures if s.role == Signature.Role.SIGNATORY],
    }
    return render(request, "statements/organization_detail.html", context)


@cached_page("campaign")
def campaign_detail(request, slug: str):
    """The campaign, its calls to action, its public statements over time and who took part."""
    campaign = get_object_or_404(Campaign, slug=slug)
    listed = Q(signatures__state=Signature.State.APPROVED)
    statements = (
        campaign.statements.public()
        .annotate(organization_count=Count("signatures", filter=listed))
        .order_by("-release_date", "-id")
    )
    organizations = (
        Organization.objects.filter(
            signatures__state=Signature.State.APPROVED,
            signatures__statement__campaign=campaign,
            signatures__statement__status__in=Statement.PUBLIC_STATUSES,
        )
        .distinct()
        .order_by("name")
    )
    calls, change = calls_to_action(
        campaign.calls_to_action.filter(
            Q(statement=None) | Q(statement__status=Statement.Status.PUBLISHED)
        )
    )
    context = {
        "campaign": campaign,
        "statements": statements,
        "organizations": organizations,
        "calls_to_action": calls,
    }
    response = render(request, "statements/campaign_detail.html", context)
    response.fresh_until = change  # for the page cache
    return response


# Sharing: the PDF, the card partners embed, oEmbed and robots.txt.


def statement_pdf(request, slug: str):
    # Imported here: loading WeasyPrint takes seconds, which only this view should pay.
    from statements.pdf import pdf_render

    statement = get_object_or_404(Statement.objects.public(), slug=slug)
    # Printed as readers type it: in its own script, not percent-encoded.
    page_url = uri_to_iri(absolute(statement.get_absolute_url()))
    context = statement_context(statement) | {"page_url": page_url}
    html = render_to_string("statements/statement_pdf.html", context)
    response = HttpResponse(pdf_render(html=html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{slug}.pdf")
    # Search engines credit the page, not its printout.
    response["Link"] = f'<{absolute(statement.get_absolute_url())}>; rel="canonical"'
    return response


def embeddable_statements():
    """Public statements with their issuers and their count of signatories, in two queries."""
    listed = Q(signatures__state=Signature.State.APPROVED)
    signatories = Count("signatures", filter=listed & Q(signatures__role=Signature.Role.SIGNATORY))
    return with_issuers(Statement.objects.public()).annotate(signatory_count=signatories)


@xframe_options_exempt
@csp_override(settings.SECURE_CSP | {"frame-ancestors": ["*"]})
def statement_embed(request, slug: str):
    """The card partner websites show in an iframe: the only page any site may frame."""
    statement = get_object_or_404(embeddable_statements(), slug=slug)
    return render(request, "statements/embed.html", {"statement": statement})


OEMBED_SIZE_LIMITS = {"maxwidth": EMBED_WIDTH, "maxheight": EMBED_HEIGHT}


def oembed(request):
    """oEmbed (https://oembed.com/) for statement pages: JSON only, as the spec allows."""
    url = request.GET.get("url", "").strip()
    if not url:
        return JsonResponse({"error": "Give the address of a statement as ?url=."}, status=400)
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only format=json is available."}, status=501)
    size = {}
    for name, largest in OEMBED_SIZE_LIMITS.items():
        raw = request.GET.get(name, str(largest))
        if not raw.isdecimal() or int(raw) == 0:
            return JsonResponse({"error": f"{name} must be a positive whole number."}, status=400)
        size[name] = min(int(raw), largest)
    slug = statement_slug_from_url(url)
    statement = slug and with_issuers(Statement.objects.public()).filter(slug=slug).first()
    if not statement:
        return JsonResponse({"error": "No public statement at this address."}, status=404)
    width, height = size["maxwidth"], size["maxheight"]
    data = {
        "version": "1.0",
        "type": "rich",
        "title": statement.title,
        "provider_name": "Jointly",
        "provider_url": absolute(reverse("home")),
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


def robots_txt(request):
    context = {"sitemap_url": absolute(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def search(request):
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    page = None
    if query:
        results = with_issuers(Statement.objects.public().search(query))
        try:
            page = Paginator(results, SEARCH_PAGE_SIZE).page(request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404("No such page") from None
        for statement in page:
            statement.snippet = search_snippet(statement)
    context = {"form": form, "query": query, "page": page}
    return render(request, "statements/search.html", context, status=200 if valid else 400)


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


def organization_suggest(request):
    """Organizations whose name looks like the query, for the co-sign form's suggestions.

    Only organizations already public (listed on a public statement) or verified
    by staff are suggested, so the list reveals nothing unpublished.
    """
    query = " ".join(request.GET.get("q", "").split())[:100]
    if len(query) < 2:
        return JsonResponse({"organizations": []})
    public = Q(
        signatures__state=Signature.State.APPROVED,
        signatures__statement__status__in=Statement.PUBLIC_STATUSES,
    )
    found = (
        Organization.objects.filter(public | Q(verified=True))
        .filter(Q(name__icontains=query) | Q(short_name__iexact=query) | Q(domain__icontains=query))
        .distinct()
        .order_by("name")[:8]
    )
    organizations = [
        {
            "name": o.name,
            "short_name": o.short_name,
            "website": o.website,
            "country": o.country.code or "",
            "kind": o.kind,
        }
        for o in found
    ]
    return JsonResponse({"organizations": organizations})


# Co-signing: the same pages behind the public address of a published statement
# (/statements/<slug>/sign/) and behind the private link staff share before it
# (/cosign/<key>/).


def _cosign_statement(slug: str | None, key: str | None) -> Statement:
    if key is not None:
        statement = get_object_or_404(Statement, cosign_key=key)
    else:
        statement = get_object_or_404(Statement.objects.published(), slug=slug)
    if not statement.cosign_open or statement.status in (
        Statement.Status.ARCHIVED,
        Statement.Status.RETRACTED,
    ):
        raise Http404("This statement is not open for co-signing")
    return statement


def _cosign_urls(statement: Statement, private: bool) -> dict[str, str]:
    prefix, arg = (
        ("cosign_private", statement.cosign_key) if private else ("cosign", statement.slug)
    )
    return {
        name: reverse(f"{prefix}{suffix}", args=[arg])
        for name, suffix in [("form", ""), ("sent", "_sent"), ("resend", "_resend")]
    }


def _rate_limited(request, group: str, email: str) -> bool:
    """Count this attempt; True once the visitor's address or the email used is over its rate."""
    by_ip = is_ratelimited(
        request, group=f"{group}:ip", key="ip", rate=settings.COSIGN_RATE_PER_IP, increment=True
    )
    email = email.strip().lower()
    by_email = bool(email) and is_ratelimited(
        request,
        group=f"{group}:email",
        key=lambda _group, _request: email,
        rate=settings.COSIGN_RATE_PER_EMAIL,
        increment=True,
    )
    return by_ip or by_email


def _cosign_page(request, template, statement, *, private, context=None, status=200):
    context = {
        "statement": statement,
        "private": private,
        "urls": _cosign_urls(statement, private),
    } | (context or {})
    if private and template == "statements/cosign_form.html":
        # Partners read the draft next to the form.
        context = statement_context(statement) | context
    response = render(request, template, context, status=status)
    if private:
        # Whoever has the link may read the draft; search engines may not.
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def cosign(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    private = key is not None
    if private and statement.status == Statement.Status.PUBLISHED:
        return redirect("cosign", statement.slug)
    if not statement.cosign_is_open():
        return _cosign_page(
            request, "statements/cosign_closed.html", statement, private=private, status=410
        )
    form = CosignForm(request.POST or None, request.FILES or None)
    already = None
    if request.method == "POST":
        if _rate_limited(request, "cosign", request.POST.get("signer_email", "")):
            return render(request, "429.html", {"statement": statement}, status=429)
        if form.is_valid():
            if form.is_spam():
                logger.info("Co-sign honeypot filled on %s; nothing saved", statement.slug)
                return redirect(_cosign_urls(statement, private)["sent"])
            try:
                services.signature_submit(statement=statement, cosign=form.cosign())
            except services.AlreadySigned as error:
                already = error.signature
                form.add_error(
                    "organization_name",
                    f"{already.organization.name} has already signed this statement.",
                )
            else:
                return redirect(_cosign_urls(statement, private)["sent"])
    context = {
        "form": form,
        "already": already,
        "resend_form": ResendForm(initial={"email": request.POST.get("signer_email", "")}),
    }
    return _cosign_page(
        request, "statements/cosign_form.html", statement, private=private, context=context
    )


def cosign_sent(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    return _cosign_page(request, "statements/cosign_sent.html", statement, private=key is not None)


@never_cache
def cosign_resend(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    form = ResendForm(request.POST or None)
    sent = False
    if request.method == "POST":
        if _rate_limited(request, "resend", request.POST.get("email", "")):
            return render(request, "429.html", {"statement": statement}, status=429)
        if form.is_valid():
            services.signature_confirmation_resend(
                statement=statement, email=form.cleaned_data["email"]
            )
            sent = True
    return _cosign_page(
        request,
        "statements/cosign_resend.html",
        statement,
        private=key is not None,
        context={"form": form, "sent": sent},
    )


# An unknown link is not found, an expired one is gone; a used one shows where things stand.
TOKEN_PROBLEM_STATUS = {"unknown": 404, "expired": 410}


def _signature_link(request, token: str, purpose: str, act):
    """The page behind an emailed link: a GET shows a button, only the POST acts."""
    if request.method == "POST":
        result = act(token=token)
        if result.acted:
            return redirect(request.path)
    else:
        result = services.signature_token_check(token=token, purpose=purpose)
    context = {"result": result, "signature": result.signature, "purpose": purpose}
    status = TOKEN_PROBLEM_STATUS.get(result.problem, 200)
    response = render(request, "statements/signature_link.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def signature_confirm(request, token: str):
    return _signature_link(
        request, token, SignatureToken.Purpose.CONFIRM, services.signature_confirm
    )


@never_cache
def signature_withdraw(request, token: str):
    return _signature_link(
        request, token, SignatureToken.Purpose.WITHDRAW, services.signature_withdraw
    )


# Sign-off: a signatory's contact reads the frozen version and answers.
SIGNOFF_PROBLEM_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "published": 410}


@never_cache
def signoff(request, token: str):
    """The page behind a sign-off link: a GET shows the text and the form; only a POST answers."""
    form = SignoffAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        link = services.signoff_check(token)
        if form.is_valid() and not link.problem:
            link = services.signoff_answer(
                token=token,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            if link.answered_now:
                return redirect(request.path)
        if link.problem == "answered":
            status = 409  # a second answer: refused, the first one shown
    elif request.method == "GET":
        link = services.signoff_view(token=token)
    else:
        link = services.signoff_check(token)
    status = SIGNOFF_PROBLEM_STATUS.get(link.problem, status)
    context = {"link": link, "form": form}
    if link.request is not None:
        version = link.request.version
        context |= {
            "statement": link.request.statement,
            "version": version,
            "content": version.content,
            "body_html": mark_safe(render_markdown(version.content["body"])),
        }
    response = render(request, "statements/signoff.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Press: a journalist's links.


@csrf_exempt
@never_cache
def press_unsubscribe(request, token: str):
    """A GET shows a button; a POST unsubscribes, with or without cookies (RFC 8058 one-click)."""
    acted = False
    if request.method == "POST":
        delivery, acted = press.unsubscribe(token=token)
    else:
        delivery = press.delivery_by_token(field="unsubscribe_token_hash", token=token)
    if delivery is None:
        status, state = 404, "unknown"
    elif press.unsubscribe_expired(delivery):
        status, state = 410, "expired"
    elif Suppression.objects.active().filter(email=normalized_email(delivery.email)).exists():
        status, state = 200, "done"
    else:
        status, state = 200, "ask"
    context = {"delivery": delivery, "state": state, "acted": acted}
    response = render(request, "statements/press_unsubscribe.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def press_preview(request, token: str):
    """A journalist's private preview of an embargoed statement, until it is public."""
    delivery = press.delivery_by_token(field="preview_token_hash", token=token)
    if delivery is None:
        raise Http404("No such preview")
    statement = delivery.distribution.statement
    if statement.is_public():
        return redirect(statement)
    if statement.status not in Statement.UNPUBLISHED_STATUSES:
        raise Http404("No such preview")
    context = statement_context(statement) | {
        "preview": False,
        "embargo": delivery.distribution.embargoed_until,
    }
    response = render(request, "statements/press_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
