from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from campaigns.models import Campaign
from organizations.models import Organization
from statements.forms import ArchiveFilterForm
from statements.models import Signature, Statement

ARCHIVE_PAGE_SIZE = 20


def with_issuers(statements):
    """Statements for a list, each with its issuing organizations in one extra query."""
    issuers = Signature.objects.filter(role=Signature.Role.ISSUER).select_related("organization")
    return statements.select_related("campaign").prefetch_related(
        Prefetch("signatures", queryset=issuers, to_attr="issuer_signatures")
    )


def render_statement(request, statement: Statement, *, preview: bool = False):
    """The statement page, in as many queries however many organizations signed it."""
    signatures = list(statement.signatures.select_related("organization"))
    context = {
        "statement": statement,
        "preview": preview,
        "demands": list(statement.demands.all()),
        "quotes": list(statement.quotes.select_related("organization")),
        "issuers": [s.organization for s in signatures if s.role == Signature.Role.ISSUER],
        "signatories": [s.organization for s in signatures if s.role == Signature.Role.SIGNATORY],
        "press_contacts": [
            p.contact for p in statement.press_contacts.select_related("contact__organization")
        ],
        "related_links": list(statement.related_links.all()),
    }
    return render(request, "statements/statement_detail.html", context)


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


def statement_detail(request, slug: str):
    statement = get_object_or_404(Statement.objects.public().select_related("campaign"), slug=slug)
    return render_statement(request, statement)


def organization_detail(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    signatures = list(
        Signature.objects.filter(
            organization=organization, statement__status__in=Statement.PUBLIC_STATUSES
        )
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


def campaign_detail(request, slug: str):
    campaign = get_object_or_404(Campaign, slug=slug)
    statements = with_issuers(campaign.statements.public()).order_by("-release_date", "-id")
    context = {"campaign": campaign, "statements": statements}
    return render(request, "statements/campaign_detail.html", context)
