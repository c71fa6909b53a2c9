"""The public API: what the public site shows, as read-only JSON under /api/.

Only public statements (published, archived, retracted) and what they show
appear; anything else answers 404. The OpenAPI description is served at
/api/openapi.json; there is no documentation page, which would load its
scripts from a CDN.
"""

from datetime import date, datetime
from functools import cached_property, wraps
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase, paginate
from pydantic import RootModel

from campaigns import models as campaigns_models
from campaigns.models import Campaign
from campaigns.selectors import calls_to_action
from core.http import shared_cache
from core.languages import LANGUAGES, browser_language
from core.links import absolute
from front.releases import with_release_issuers
from organizations.models import Organization
from statements import models
from statements.models import Signature, Statement, listed_signatures
from statements.ratelimits import rate_limited
from statements.search import statements_search
from statements.selectors import campaign_calls_to_action, signatory_counts

MAX_PAGE_SIZE = 100


def public_read(view):
    """Any site may read the API from a browser; browsers may keep an answer a minute,
    proxies as long as any public page (PROXY_CACHE_SECONDS).

    Its address has no language prefix: its messages and labels follow the reader's
    Accept-Language instead, and caches keep one answer per language.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Not the language cookie: caches would need Vary: Cookie, one copy per visitor.
        with translation.override(browser_language(request)):
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 200:
            shared_cache(response, max_age=60)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    wrapper.cacheable = True
    return wrapper


api = NinjaAPI(
    title="Jointly public API",
    version="1",
    description="Published joint statements, their signatories, campaigns and organizations. "
    "Read-only, no authentication; lists are paginated with `page` and `page_size`.",
    urls_namespace="api",
    docs_url=None,
    docs_decorator=public_read,
)
api.add_decorator(public_read, mode="view")


def page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = page
    return absolute(f"{request.path}?{params.urlencode()}")


class PageParameters(Schema):
    page: int = Field(1, ge=1, description="The page, from 1.")
    page_size: int = Field(
        20, ge=1, description=f"Items per page; at most {MAX_PAGE_SIZE}, more is read as that."
    )


class PageNumbers(PaginationBase):
    """Numbered pages with their total count and the addresses of the pages around them."""

    Input = PageParameters

    class Output(Schema):
        count: int = Field(description="How many items there are on all pages.")
        next: str | None = Field(description="The next page's address; null on the last page.")
        previous: str | None = Field(
            description="The previous page's address; null on the first page."
        )
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: PageParameters, request, **params):
        paginator = Paginator(queryset, min(pagination.page_size, MAX_PAGE_SIZE))
        try:
            page = paginator.page(pagination.page)
        except EmptyPage:
            message = _("No page %(page)s: the last is %(last)s.") % {
                "page": pagination.page,
                "last": paginator.num_pages,
            }
            raise HttpError(404, message) from None
        return {
            "count": paginator.count,
            "next": page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": page.object_list,
        }


class StatementPages(PageNumbers):
    """Pages of statements, each with its release's issuers (front.releases), read for
    the page alone."""

    def paginate_queryset(self, queryset, pagination: PageParameters, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["results"] = with_release_issuers(page["results"])
        return page


class Error(Schema):
    detail: str


class InvalidParameter(Schema):
    type: str
    loc: list[str | int] = Field(description='Where the value is, e.g. ["query", "page"].')
    msg: str


class InvalidRequest(Schema):
    detail: list[InvalidParameter]


class Signatory(Schema):
    """An organization on a statement, as one of its issuers or one of its signatories."""

    kind: Literal["organization"]
    name: str
    short_name: str
    slug: str
    url: str
    country: str = Field(description="ISO 3166-1 alpha-2 code; empty if unknown.")
    role: Literal["issuer", "signatory"]

    @staticmethod
    def resolve_name(signature: Signature) -> str:
        return signature.organization.name

    @staticmethod
    def resolve_short_name(signature: Signature) -> str:
        return signature.organization.short_name

    @staticmethod
    def resolve_slug(signature: Signature) -> str:
        return signature.organization.slug

    @staticmethod
    def resolve_url(signature: Signature) -> str:
        return absolute(signature.organization.get_absolute_url())

    @staticmethod
    def resolve_country(signature: Signature) -> str:
        return signature.organization.country.code or ""


def _joined_on(signature: Signature) -> date | None:
    # joined_at: the approval, annotated when it came after publication (listed_in_order).
    return timezone.localdate(signature.joined_at) if signature.joined_at else None


JOINED_ON = "The day it was approved, when that was after publication; null otherwise."


class OrganizationSignatory(Signatory):
    """An organization in a statement's list of signatories."""

    joined_on: date | None = Field(description=JOINED_ON)
    pinned: bool = Field(description="Listed at the top, whatever the order.")
    group: str = Field(description="The heading staff list it under; empty if none.")

    @staticmethod
    def resolve_joined_on(signature: Signature) -> date | None:
        return _joined_on(signature)

    @staticmethod
    def resolve_group(signature: Signature) -> str:
        return signature.group.name if signature.group else ""


class IndividualSignatory(Schema):
    """A person who signed a statement in their own name. Never their email."""

    kind: Literal["individual"]
    role: Literal["signatory"]
    name: str
    title: str = Field(description="Their title or role; may be empty.")
    affiliation: str = Field(description="For identification only; may be empty.")
    country: str = Field(description="ISO 3166-1 alpha-2 code; empty if unknown.")
    joined_on: date | None = Field(description=JOINED_ON)
    pinned: bool = Field(description="Listed at the top, whatever the order.")

    @staticmethod
    def resolve_name(signature: Signature) -> str:
        return signature.signer_name

    @staticmethod
    def resolve_title(signature: Signature) -> str:
        return signature.signer_title

    @staticmethod
    def resolve_country(signature: Signature) -> str:
        return signature.signer_country.code or ""

    @staticmethod
    def resolve_joined_on(signature: Signature) -> date | None:
        return _joined_on(signature)


class SignatoryRow(
    RootModel[Annotated[OrganizationSignatory | IndividualSignatory, Field(discriminator="kind")]]
):
    """An organization or an individual in a statement's list, told apart by `kind`."""


class SignatoryCounts(Schema):
    organizations: int = Field(description="Organizations that signed, issuers aside.")
    individuals: int = Field(description="People who signed in their own name.")


class CampaignSummary(Schema):
    title: str
    slug: str
    url: str
    summary: str
    is_active: bool
    started_on: date | None

    @staticmethod
    def resolve_url(campaign: Campaign) -> str:
        return absolute(campaign.get_absolute_url())


class StatementSummary(Schema):
    slug: str
    url: str = Field(description="The statement's public page.")
    kind: Literal[*Statement.Kind.values]
    kind_label: str = Field(description='How the kind is printed, e.g. "Urgent joint statement".')
    title: str
    standfirst: str
    dateline: str
    release_date: date
    published_at: datetime
    language: Literal[*(code for code, _name in LANGUAGES)] = Field(
        description="ISO 639-1 code of the language the statement is written in."
    )
    status: Literal[*Statement.PUBLIC_STATUSES] = Field(
        description="Archived statements are kept for the record; retracted ones were withdrawn."
    )
    campaign: CampaignSummary | None
    issuers: list[Signatory]
    signatory_counts: SignatoryCounts = Field(
        description="How many signed the release, issuers aside, by kind."
    )

    @staticmethod
    def resolve_url(statement: Statement) -> str:
        return absolute(statement.get_absolute_url())

    @staticmethod
    def resolve_kind_label(statement: Statement) -> str:
        return statement.get_kind_display()

    @staticmethod
    def resolve_issuers(statement: Statement) -> list[Signature]:
        return statement.issuer_signatures


class Demand(Schema):
    heading: str
    text: str


class Quote(Schema):
    text: str
    person_name: str
    person_title: str
    organization: str = Field(description="The name of the person's organization; may be empty.")

    @staticmethod
    def resolve_organization(quote: models.Quote) -> str:
        return quote.organization.name if quote.organization else ""


class PressContact(Schema):
    name: str = Field(description="Empty for a contact known by their title alone.")
    title: str
    organization: str
    email: str
    phone: str

    @staticmethod
    def resolve_name(press_contact: models.PressContact) -> str:
        return press_contact.contact.name

    @staticmethod
    def resolve_title(press_contact: models.PressContact) -> str:
        return press_contact.contact.title

    @staticmethod
    def resolve_organization(press_contact: models.PressContact) -> str:
        return press_contact.contact.organization.name

    @staticmethod
    def resolve_email(press_contact: models.PressContact) -> str:
        return press_contact.contact.email

    @staticmethod
    def resolve_phone(press_contact: models.PressContact) -> str:
        return press_contact.contact.phone


class RelatedLink(Schema):
    title: str
    url: str


class Image(Schema):
    url: str
    description: str = Field(description="What the image shows, for readers who cannot see it.")
    credit: str


class Correction(Schema):
    slug: str
    title: str
    url: str = Field(description="The correcting statement's public page.")


class Retraction(Schema):
    retracted_at: datetime
    note: str
    corrected_by: Correction | None = Field(
        description="The statement that corrects this one, if staff named it."
    )


class Update(Schema):
    kind: Literal["update", "response", "correction", "delivered"]
    posted_at: datetime = Field(description="The date the update carries.")
    text: str = Field(description="The update as written, in plain text.")
    url: str = Field(description="The update on the statement's page.")
    responder: str | None = Field(None, description="A response's: who answered.")
    responded_on: date | None = Field(None, description="A response's: when they answered.")
    response_url: str | None = Field(
        None, description="A response's: where the answer can be read, if staff gave it."
    )
    comparison_url: str | None = Field(
        description="A correction's: the public comparison of the text it replaced with its own."
    )


class DecisionMaker(Schema):
    name: str
    role: str
    email: str
    phone: str
    web_form_url: str


class SuggestedMessage(Schema):
    subject: str
    body: str
    mailto: str = Field(description="A mailto: link with the subject and body filled in, or empty.")


class Event(Schema):
    starts_at: datetime
    place: str


class CallToAction(Schema):
    kind: Literal[tuple(campaigns_models.CallToAction.Kind.values)]
    title: str
    description: str
    button_label: str
    url: str = Field(
        description="Where the button leads: the outside page, or for co-sign the statement's "
        "co-sign form; empty for share."
    )
    statement: str | None = Field(description="The slug of the statement it is for, if any.")
    target: DecisionMaker | None = Field(
        description="The decision maker to contact (kind contact)."
    )
    message: SuggestedMessage | None = Field(description="What to write them (kind contact).")
    event: Event | None = Field(description="When and where (kind attend).")
    starts_at: datetime | None = Field(description="Shown from then; null: from the start.")
    ends_at: datetime | None = Field(description="Shown until then; null: until removed.")

    @staticmethod
    def resolve_button_label(call: campaigns_models.CallToAction) -> str:
        return call.button_text()

    @staticmethod
    def resolve_url(call: campaigns_models.CallToAction) -> str:
        if call.kind == campaigns_models.CallToAction.Kind.COSIGN:
            return absolute(call.statement.get_cosign_url())
        return call.url

    @staticmethod
    def resolve_statement(call: campaigns_models.CallToAction) -> str | None:
        return call.statement.slug if call.statement_id else None

    @staticmethod
    def resolve_target(call: campaigns_models.CallToAction) -> dict | None:
        if call.kind != campaigns_models.CallToAction.Kind.CONTACT:
            return None
        return {
            "name": call.target_name,
            "role": call.target_role,
            "email": call.target_email,
            "phone": call.target_phone,
            "web_form_url": call.target_form_url,
        }

    @staticmethod
    def resolve_message(call: campaigns_models.CallToAction) -> dict | None:
        if call.kind != campaigns_models.CallToAction.Kind.CONTACT or not call.message_body:
            return None
        return {
            "subject": call.message_subject,
            "body": call.message_body,
            "mailto": call.mailto_url(),
        }

    @staticmethod
    def resolve_event(call: campaigns_models.CallToAction) -> dict | None:
        if call.kind != campaigns_models.CallToAction.Kind.ATTEND:
            return None
        return {"starts_at": call.event_starts_at, "place": call.event_place}


class TranslationLink(Schema):
    """Another statement of the same release: the same text in another language."""

    language: Literal[*(code for code, _name in LANGUAGES)]
    slug: str
    title: str
    url: str = Field(description="Its public page.")
    api_url: str = Field(description="Its address in this API.")

    @staticmethod
    def resolve_url(statement: Statement) -> str:
        return absolute(statement.get_absolute_url())

    @staticmethod
    def resolve_api_url(statement: Statement) -> str:
        return absolute(reverse("api:statement_detail", args=[statement.slug]))


class StatementDetail(StatementSummary):
    translation_of: TranslationLink | None = Field(
        description="The original this statement translates; null for an original."
    )
    translations: list[TranslationLink] = Field(
        description="The release's other public statements (the original first): "
        "the same text in other languages. Signatures are the release's, shown on each."
    )
    body: str = Field(description="The body in Markdown, as written.")
    body_html: str = Field(description="The body rendered to sanitized HTML, as the site shows it.")
    image: Image | None
    demands_heading: str = Field(
        description="The demands' lead-in in the release's own words; empty for the site's "
        "default (“Our demands”)."
    )
    demands: list[Demand]
    closing: str = Field(description="The text after the demands, in Markdown, as written.")
    closing_html: str = Field(
        description="The text after the demands rendered to sanitized HTML, as the site shows it."
    )
    press_contacts_heading: str = Field(
        description="The press contacts' heading in the release's own words; empty for the "
        "site's default (“For press inquiries”)."
    )
    quotes: list[Quote]
    signatories: list[OrganizationSignatory] = Field(
        description="Every organization that signed, issuers aside, in the list's order. "
        "Individuals are counted in signatory_counts and listed by the signatories endpoint."
    )
    press_contacts: list[PressContact]
    related_links: list[RelatedLink]
    retraction: Retraction | None
    updates: list[Update] = Field(description="Its dated updates, newest first.")
    calls_to_action: list[CallToAction] = Field(
        description="What readers are asked to do now, in order; none once archived or retracted."
    )

    @staticmethod
    def resolve_calls_to_action(statement: Statement) -> list:
        return statement.current_calls

    @staticmethod
    def resolve_translation_of(statement: Statement) -> Statement | None:
        original = statement.translation_of
        return original if original and original.is_public() else None

    @staticmethod
    def resolve_translations(statement: Statement) -> list[Statement]:
        return statement.other_languages

    @staticmethod
    def resolve_image(statement: Statement) -> dict | None:
        if not statement.hero_image:
            return None
        return {
            "url": absolute(statement.hero_image.url),
            "description": statement.hero_alt,
            "credit": statement.hero_credit,
        }

    @staticmethod
    def resolve_signatories(statement: Statement) -> list[Signature]:
        return statement.signatory_signatures

    @staticmethod
    def resolve_updates(statement: Statement) -> list[dict]:
        return [_update(update) for update in statement.public_updates]

    @staticmethod
    def resolve_retraction(statement: Statement) -> dict | None:
        if not statement.is_retracted():
            return None
        correction = statement.corrected_by
        return {
            "retracted_at": statement.retracted_at,
            "note": statement.retraction_note,
            "corrected_by": {
                "slug": correction.slug,
                "title": correction.title,
                "url": absolute(correction.get_absolute_url()),
            }
            if correction
            else None,
        }


def _update(update: models.StatementUpdate) -> dict:
    """An update as the API gives it: a response's details only on a response."""
    comparison = update.comparison_url()
    fields = {
        "kind": update.kind,
        "posted_at": update.posted_at,
        "text": update.text,
        "url": absolute(update.get_absolute_url()),
        "comparison_url": absolute(comparison) if comparison else None,
    }
    if update.kind == models.StatementUpdate.Kind.RESPONSE:
        fields |= {
            "responder": update.responder,
            "responded_on": update.responded_on,
            "response_url": update.response_url or None,
        }
    return fields


class CampaignDetail(CampaignSummary):
    description: str
    statements: list[StatementSummary] = Field(description="Its public statements, newest first.")
    calls_to_action: list[CallToAction] = Field(
        description="What readers are asked to do now, in order."
    )

    @staticmethod
    def resolve_calls_to_action(campaign: Campaign) -> list:
        return campaign.current_calls

    @staticmethod
    def resolve_statements(campaign: Campaign) -> list[Statement]:
        return campaign.public_statements


class OrganizationDetail(Schema):
    name: str
    short_name: str
    slug: str
    url: str
    kind: Literal[*Organization.Kind.values]
    country: str = Field(description="ISO 3166-1 alpha-2 code; empty if unknown.")
    website: str
    description: str
    logo: str | None = Field(description="The logo's address; null if there is none.")
    issued: list[StatementSummary] = Field(description="Public statements it issued.")
    signed: list[StatementSummary] = Field(description="Public statements it signed.")

    @staticmethod
    def resolve_url(organization: Organization) -> str:
        return absolute(organization.get_absolute_url())

    @staticmethod
    def resolve_country(organization: Organization) -> str:
        return organization.country.code or ""

    @staticmethod
    def resolve_logo(organization: Organization) -> str | None:
        return absolute(organization.logo.url) if organization.logo else None


class StatementFilters(Schema):
    campaign: str | None = Field(None, description="A campaign's slug.")
    organization: str | None = Field(
        None, description="An organization's slug: the statements it issued or signed."
    )
    q: str | None = Field(
        None,
        max_length=200,
        description="Words to search for; results then come best match first.",
    )


# Anything not public, and on a list a page past the last.
NOT_FOUND = {404: Error}


@api.get(
    "/statements/",
    response={200: list[StatementSummary], **NOT_FOUND, 422: InvalidRequest, 429: Error},
    operation_id="listStatements",
    summary="List public statements",
    tags=["statements"],
)
@paginate(StatementPages)
def statement_list(request, filters: Query[StatementFilters]):
    """Published, archived and retracted statements, newest first."""
    statements = Statement.objects.public()
    if filters.campaign:
        statements = statements.filter(campaign__slug=filters.campaign)
    if filters.organization:
        # Its releases, in every language: the signatures are on the originals.
        signed = Signature.objects.filter(
            listed_signatures(), organization__slug=filters.organization
        ).values("statement")
        statements = statements.filter(Q(pk__in=signed) | Q(translation_of__in=signed))
    if filters.q and filters.q.strip():
        # The search page's limit, and the same count: an address searches so many times
        # a minute, whichever way.
        if rate_limited(request, "search", per_ip=settings.SEARCH_RATE_PER_IP):
            raise HttpError(
                429,
                _(
                    "We received many searches from your address in a short time. "
                    "Please wait a minute and search again."
                ),
            )
        statements = statements_search(statements, filters.q)
    return statements.select_related("campaign")


@api.get(
    "/statements/{slug}/",
    response={200: StatementDetail, **NOT_FOUND},
    operation_id="getStatement",
    summary="Read a statement",
    tags=["statements"],
)
def statement_detail(request, slug: str):
    """A public statement in full, with its demands, quotes, organizations and press contacts."""
    statement = get_object_or_404(
        Statement.objects.public()
        .select_related("campaign", "corrected_by", "translation_of")
        .prefetch_related(
            "demands",
            Prefetch("quotes", queryset=models.Quote.objects.select_related("organization")),
            Prefetch(
                "press_contacts",
                queryset=models.PressContact.objects.select_related("contact__organization"),
            ),
            "related_links",
            Prefetch(
                "updates",
                # A correction's comparison names both versions' numbers.
                queryset=models.StatementUpdate.objects.public().select_related(
                    "version", "previous_version"
                ),
                to_attr="public_updates",
            ),
        ),
        slug=slug,
    )
    signatures = list(listed_in_order(statement).organizations())
    statement.issuer_signatures = [s for s in signatures if s.role == Signature.Role.ISSUER]
    statement.signatory_signatures = [s for s in signatures if s.role == Signature.Role.SIGNATORY]
    statement.signatory_counts = signatory_counts(statement)
    statement.other_languages = [
        member for member in statement.release() if member.is_public() and member != statement
    ]
    # Nobody is asked to act on an archived or retracted statement.
    statement.current_calls = []
    if statement.status == Statement.Status.PUBLISHED:
        calls = campaigns_models.CallToAction.objects.for_statement(statement)
        statement.current_calls, _ = calls_to_action(calls)
    return statement


def listed_in_order(statement: Statement):
    """The release's listed signatures (on its original) in the order the statement's
    page lists them, each with `joined_at`, its approval if that came after publication."""
    original = statement.original
    late = Q(decided_at__gt=F("statement__published_at"))
    return (
        original.signatures.listed()
        .in_order(
            original.signatory_order,
            language=statement.language,
            grouping=original.signatory_grouping,
        )
        .annotate(joined_at=Case(When(late, then=F("decided_at"))))
        .select_related("organization", "group")
    )


class Tiers:
    """A release's signatories as one sequence for the paginator: issuers and
    organizations, then individuals. A page reads only the tiers it shows, and the
    count is one query for both: a constant number of queries per page."""

    def __init__(self, statement: Statement, kinds: list[str]):
        listed = listed_in_order(statement)
        self.statement = statement
        self.tiers = [(kind, listed.filter(kind=kind)) for kind in kinds]

    @cached_property
    def sizes(self) -> dict[str, int]:
        counts = {kind: Count("pk", filter=Q(kind=kind)) for kind, _rows in self.tiers}
        return self.statement.original.signatures.listed().aggregate(**counts)

    def count(self) -> int:
        return sum(self.sizes.values())

    def __getitem__(self, window: slice) -> list[Signature]:
        start, stop = window.start or 0, window.stop
        rows = []
        for kind, signatures in self.tiers:
            size = self.sizes[kind]
            if start < size and stop > 0:
                rows += signatures[max(start, 0) : min(stop, size)]
            start, stop = start - size, stop - size
        return rows


class SignatoryFilters(Schema):
    kind: Literal[*Signature.Kind.values] | None = Field(
        None, description="Only organizations (issuers included) or only individuals."
    )


@api.get(
    "/statements/{slug}/signatories/",
    response={200: list[SignatoryRow], **NOT_FOUND, 422: InvalidRequest},
    operation_id="listStatementSignatories",
    summary="List a statement's signatories, organizations and individuals",
    tags=["statements"],
)
@paginate(PageNumbers)
def statement_signatories(request, slug: str, filters: Query[SignatoryFilters]):
    """The issuers, then the organizations that signed, in the order the statement's
    page lists them, then the individuals, in theirs: one sequence of pages, each row
    with its `kind`. `kind` narrows it to one of the two."""
    statement = get_object_or_404(
        Statement.objects.public().select_related("translation_of"), slug=slug
    )
    return Tiers(statement, [filters.kind] if filters.kind else Signature.Kind.values)


@api.get(
    "/campaigns/",
    response={200: list[CampaignSummary], **NOT_FOUND, 422: InvalidRequest},
    operation_id="listCampaigns",
    summary="List campaigns",
    tags=["campaigns"],
)
@paginate(PageNumbers)
def campaign_list(request):
    """Active campaigns first, then by title."""
    return Campaign.objects.order_by("-is_active", "title", "id")


@api.get(
    "/campaigns/{slug}/",
    response={200: CampaignDetail, **NOT_FOUND},
    operation_id="getCampaign",
    summary="Read a campaign",
    tags=["campaigns"],
)
def campaign_detail(request, slug: str):
    """A campaign and its public statements."""
    campaign = get_object_or_404(Campaign, slug=slug)
    campaign.public_statements = with_release_issuers(
        campaign.statements.public().select_related("campaign").order_by("-release_date", "-id")
    )
    campaign.current_calls, _ = calls_to_action(campaign_calls_to_action(campaign))
    return campaign


@api.get(
    "/organizations/{slug}/",
    response={200: OrganizationDetail, **NOT_FOUND},
    operation_id="getOrganization",
    summary="Read an organization",
    tags=["organizations"],
)
def organization_detail(request, slug: str):
    """An organization and the public statements it issued or signed.

    An organization known only from statements not yet public is not found.
    """
    organization = get_object_or_404(Organization, slug=slug)
    signatures = list(
        Signature.objects.on_public_statements()
        .filter(organization=organization)
        .select_related("statement__campaign")
        .order_by("-statement__release_date", "-statement_id")
    )
    if not signatures:
        raise Http404("No public statement from this organization")
    with_release_issuers([s.statement for s in signatures])  # their issuers and counts
    organization.issued = [s.statement for s in signatures if s.role == Signature.Role.ISSUER]
    organization.signed = [s.statement for s in signatures if s.role == Signature.Role.SIGNATORY]
    return organization
