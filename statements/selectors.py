"""Reads that the public pages, feeds, the API, the admin and the emails share."""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django_countries import countries

from campaigns.models import CallToAction
from campaigns.selectors import calls_to_action
from core.languages import interface_language
from core.queries import kept_rows
from organizations.models import Organization
from statements.diff import versions_compared
from statements.models import (
    Signature,
    SignoffEvent,
    Statement,
    StatementUpdate,
    Version,
    content_hash,
)


def statement_context(statement: Statement) -> dict:
    """Everything the statement's text shows, in as many queries however many signed it.

    A translation shows its own text with the release's signatories and press contacts,
    which are its original's.
    """
    original = statement.original
    signatories = signatory_list(statement)
    return {
        "statement": statement,
        "demands": list(statement.demands.all()),
        "quotes": list(statement.quotes.select_related("organization")),
        "signatory_list": signatories,
        "issuers": signatories.issuers,
        "signatories": signatories.organizations,
        "signatory_counts": signatories.counts,
        "press_contacts": [
            p.contact for p in original.press_contacts.select_related("contact__organization")
        ],
        "related_links": list(statement.related_links.all()),
        "updates": statement_updates(statement),
    }


def statement_updates(statement: Statement) -> list:
    """The statement's updates on its page, newest first, a correction with its versions
    (for the link to their comparison): one query."""
    return list(statement.updates.public().select_related("version", "previous_version"))


# The individuals a statement's page lists at first; the rest are a page away.
INDIVIDUALS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class Signatory:
    """One line of a statement's list of signatories, as every page, feed and file
    prints it: plain values, no model instances."""

    kind: str  # Signature.Kind
    name: str
    url: str = ""  # the organization's page; an individual has none
    short_name: str = ""
    country: str = ""  # its name, in the page's language
    organization_kind: str = ""  # Organization.Kind's label
    title: str = ""  # an individual's title or role
    affiliation: str = ""
    logo: str = ""  # the logo's address, when the wall may show it
    joined_on: date | None = None  # approved after publication
    number: int | None = None
    pinned: bool = False
    group: str = ""


@dataclass
class SignatoryList:
    """A statement's signatories as its page shows them."""

    issuers: list[Signatory]
    # The organizations that signed, under their headings ("" when the list has none).
    groups: list[tuple[str, list[Signatory]]]
    # The organizations whose logo may be shown, in the list's order.
    logo_wall: list[Signatory]
    # The first individuals (INDIVIDUALS_SHOWN); individuals_page() gives the rest.
    individuals: list[Signatory]
    counts: dict[str, int]
    late: int  # signatories who joined after publication
    numbered: bool = False
    details: bool = False
    affiliation_note: str = ""
    more_individuals: bool = field(default=False)

    @property
    def organizations(self) -> list[Signatory]:
        return [signatory for _heading, rows in self.groups for signatory in rows]


_ROW_FIELDS = (
    "kind",
    "role",
    "signer_name",
    "signer_title",
    "affiliation",
    "signer_country",
    "pinned",
    "show_logo",
    "decided_at",
    "group__name",
    "organization__name",
    "organization__slug",
    "organization__short_name",
    "organization__country",
    "organization__kind",
    "organization__logo",
)


# A slug made only of these is its own place in an address: quote() would return it as
# it is, at several times the cost of this check, on every line of a long list.
_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_.~/-]*").fullmatch


class _Rows:
    """Turns signatures' values (_ROW_FIELDS, in order) into Signatory lines, with what
    every line shares worked out once: the organization page's address, country names,
    the publication."""

    def __init__(self, statement: Statement, language: str):
        self.statement = statement
        original = statement.original
        self.published_at = original.published_at
        with override(interface_language(language)):
            self.countries = dict(countries)
            self.kinds = {k.value: str(k.label) for k in Organization.Kind}
        # reverse() once: an organization's address is this with its slug in place.
        self.organization_url = reverse("organization_detail", args=["-slug-"])

    def joined_on(self, decided_at) -> date | None:
        if self.published_at is None or decided_at is None or decided_at <= self.published_at:
            return None
        return timezone.localdate(decided_at)

    def individual(self, values: tuple, number: int | None = None) -> Signatory:
        kind, _, name, title, affiliation, country, pinned, _, decided_at, group, *_ = values
        return Signatory(
            kind=kind,
            name=name,
            title=title,
            affiliation=affiliation,
            country=self.countries.get(country, ""),
            joined_on=self.joined_on(decided_at),
            number=number,
            pinned=pinned,
            group=group or "",
        )

    def organization(self, values: tuple, number: int | None = None) -> Signatory:
        kind, _, _, _, _, _, pinned, show_logo, decided_at, group, *organization = values
        name, slug, short_name, country, organization_kind, logo = organization
        slug = slug if _PLAIN_SLUG(slug) else quote(slug)
        return Signatory(
            kind=kind,
            name=name,
            url=self.organization_url.replace("-slug-", slug),
            short_name=short_name,
            country=self.countries.get(country, ""),
            organization_kind=self.kinds.get(organization_kind, ""),
            logo=default_storage.url(logo) if logo and show_logo else "",
            joined_on=self.joined_on(decided_at),
            number=number,
            pinned=pinned,
            group=group or "",
        )


def _heading(statement: Statement, signatory: Signatory) -> str:
    grouping = statement.signatory_grouping
    if grouping == Statement.SignatoryGrouping.COUNTRY:
        return signatory.country or gettext("Other signatories")
    if grouping == Statement.SignatoryGrouping.KIND:
        return signatory.organization_kind
    if grouping == Statement.SignatoryGrouping.GROUPS:
        return signatory.group or gettext("Other signatories")
    return ""


def _ordered(statement: Statement, language: str, grouping: str = ""):
    # kept_rows keeps the SQL of what this builds under the release, its order, the
    # language and the grouping: anything else it comes to depend on must join the keys.
    original = statement.original
    return original.signatures.listed().in_order(
        original.signatory_order, language=language, grouping=grouping
    )


def signatory_list(statement: Statement, *, language: str | None = None) -> SignatoryList:
    """The release's signatories as the statement's page lists them, in two queries
    however many signed: the organizations in full, then the first individuals with
    how many there are.

    `language` orders the names (by its collation) and names the countries; the
    statement's own by default.
    """
    language = language or statement.language
    original = statement.original
    rows = _Rows(statement, language)
    numbered = original.signatory_numbering
    grouping = original.signatory_grouping
    # Its SQL kept: the key is all it depends on.
    found = kept_rows(
        ("organizations", original.pk, original.signatory_order, language, grouping),
        lambda: _ordered(statement, language, grouping).organizations().values_list(*_ROW_FIELDS),
    )
    issuers, groups, wall = [], [], []
    number = late = 0
    for values in found:
        if values[1] == Signature.Role.ISSUER:
            issuers.append(rows.organization(values))
            continue
        number += 1
        signatory = rows.organization(values, number if numbered else None)
        late += signatory.joined_on is not None
        heading = _heading(original, signatory)
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(signatory)
        if signatory.logo:
            wall.append(signatory)
    individuals = individuals_page(statement, language=language, page=1)
    return SignatoryList(
        issuers=issuers,
        groups=groups,
        logo_wall=wall if original.logo_wall else [],
        individuals=individuals.rows,
        counts={"organizations": number, "individuals": individuals.total},
        late=late + individuals.late,
        numbered=numbered,
        details=original.signatory_details,
        affiliation_note=statement.affiliation_note_text() if individuals.total else "",
        more_individuals=individuals.total > len(individuals.rows),
    )


@dataclass(frozen=True)
class IndividualsPage:
    rows: list[Signatory]
    total: int  # individuals listed, on every page
    late: int  # of them, those who joined after publication


def individuals_page(
    statement: Statement,
    *,
    language: str | None = None,
    page: int = 1,
    per_page: int = INDIVIDUALS_SHOWN,
) -> IndividualsPage:
    """One page of the release's individual signatories, in the list's order, with how
    many there are in all: one query (the totals are window counts on its rows)."""
    language = language or statement.language
    original = statement.original
    start = (page - 1) * per_page
    rows = _Rows(statement, language)
    published_at = original.published_at
    late = Q(decided_at__gt=published_at) if published_at else Q(pk=None)
    # Its SQL kept: the key is all it depends on.
    values = kept_rows(
        (
            "individuals",
            original.pk,
            original.signatory_order,
            language,
            published_at,
            start,
            per_page,
        ),
        lambda: (
            _ordered(statement, language)
            .individuals()
            .annotate(total=Window(Count("pk")), late=Window(Count("pk", filter=late)))
            .values_list(*_ROW_FIELDS, "total", "late")[start : start + per_page]
        ),
    )
    if not values and page > 1:
        # Past the last page: the totals still count.
        counts = signatory_counts(statement)
        return IndividualsPage([], counts["individuals"], counts["late_individuals"])
    numbered = original.signatory_numbering
    return IndividualsPage(
        rows=[
            rows.individual(v, start + i + 1 if numbered else None) for i, v in enumerate(values)
        ],
        total=values[0][-2] if values else 0,
        late=values[0][-1] if values else 0,
    )


def signatory_counts(statement: Statement) -> dict[str, int]:
    """How many organizations and individuals signed the release (issuers aside), and
    how many individuals joined after publication: one query."""
    original = statement.original
    late = Q(decided_at__gt=original.published_at) if original.published_at else Q(pk=None)
    return (
        original.signatures.listed()
        .filter(role=Signature.Role.SIGNATORY)
        .aggregate(
            organizations=Count("pk", filter=Q(kind=Signature.Kind.ORGANIZATION)),
            individuals=Count("pk", filter=Q(kind=Signature.Kind.INDIVIDUAL)),
            late_individuals=Count("pk", filter=late & Q(kind=Signature.Kind.INDIVIDUAL)),
        )
    )


def statement_page_context(statement: Statement, *, preview: bool = False) -> tuple[dict, list]:
    """What the statement's page shows (the public page, and the preview staff see before
    publication), and the times at which it changes by itself."""
    context = statement_text_context(statement, preview=preview)
    actions, changes = statement_page_actions(statement, preview=preview)
    return context | actions, changes


def statement_text_context(statement: Statement, *, preview: bool = False) -> dict:
    """What the statement's article shows the same to every reader, whatever the time:
    its text, updates and signatories (statement_context) with the latest correction."""
    context = statement_context(statement) | {"preview": preview}
    # The latest correction heads the page; it is among the updates already read.
    context["correction"] = next(
        (u for u in context["updates"] if u.kind == StatementUpdate.Kind.CORRECTION), None
    )
    return context


def statement_page_actions(statement: Statement, *, preview: bool = False) -> tuple[dict, list]:
    """What the statement's page offers that changes by itself in time (the sign button,
    the calls to action), and the times at which it does."""
    context = {"statement": statement, "preview": preview}
    changes = []
    if statement.cosign_is_open() and statement.cosign_closes_at:
        changes.append(statement.cosign_closes_at)  # the sign button goes then
    # Nobody is asked to act on an archived or retracted statement.
    if preview or statement.status == Statement.Status.PUBLISHED:
        calls, change = calls_to_action(CallToAction.objects.for_statement(statement))
        context["calls_to_action"] = calls
        changes += [change] if change else []
    return context, changes


def public_organizations(signatures=None):
    """Organizations listed on a public statement, those with a public page; signatures
    narrows which of their signatures count (those on a campaign's statements, say).

    Not distinct: an organization appears once per such signature until grouped.
    """
    signatures = signatures if signatures is not None else Signature.objects.all()
    return Organization.objects.filter(signatures__in=signatures.on_public_statements())


def campaign_calls_to_action(campaign):
    """The calls a campaign's page offers: the campaign's own, and those of its
    statements that are published (none for an archived or retracted one)."""
    return campaign.calls_to_action.filter(
        Q(statement=None) | Q(statement__status=Statement.Status.PUBLISHED)
    )


def publication_hold(statement: Statement) -> SignoffEvent | None:
    """The hold of its scheduled publication, while it stands: until the statement is
    scheduled again or published."""
    if statement.status not in (Statement.Status.DRAFT, Statement.Status.SIGNOFF):
        return None
    last = (
        statement.signoff_events.filter(
            kind__in=[
                SignoffEvent.Kind.SCHEDULED,
                SignoffEvent.Kind.SCHEDULED_OVERRIDDEN,
                SignoffEvent.Kind.HELD,
            ]
        )
        .order_by("at", "pk")
        .last()
    )
    return last if last and last.kind == SignoffEvent.Kind.HELD else None


@dataclass(frozen=True)
class TranslationStatus:
    """Where one translation of a release stands against its original."""

    statement: Statement
    up_to_date: bool
    # The sections of the original's text that changed since the translation was made
    # or last checked: versions_compared rows, only those changed.
    changes: list[dict]


def translation_status(original: Statement) -> list[TranslationStatus]:
    """Each translation of the release: its language, title and status (on the statement),
    and whether the original's own text changed since it was made or last checked."""
    current = original.translated_text()
    digest = content_hash(current)
    statuses = []
    for translation in original.translations.order_by("language", "pk"):
        up_to_date = translation.source_hash == digest
        changes = []
        if not up_to_date:
            rows = versions_compared(translation.source_text or {}, current)
            changes = [row for row in rows if row["changed"]]
        statuses.append(TranslationStatus(translation, up_to_date, changes))
    return statuses


def version_languages(content: dict, default: str = "en") -> list[str]:
    """The languages a frozen version holds: the original's first, then its translations'.

    Versions frozen before translations existed hold the original's only.
    """
    return [content.get("language") or default, *sorted(content.get("translations") or {})]


def version_text(content: dict, language: str) -> tuple[str, dict]:
    """The language and the text (title, standfirst, body, demands, quotes) of a frozen
    version to show a reader of `language`: that translation if the version holds it,
    else the original's."""
    translations = content.get("translations") or {}
    if language in translations:
        return language, translations[language]
    return content.get("language") or "", content


# The statement form offers this many known names as an organization is typed.
ORGANIZATION_NAMES_OFFERED = 2000


def organization_names() -> list[str]:
    """Names of known organizations, for the statement form's datalist."""
    return list(
        Organization.objects.order_by("name").values_list("name", flat=True)[
            :ORGANIZATION_NAMES_OFFERED
        ]
    )


def statement_corrections(statement: Statement):
    """The published corrections of the statement's text, newest first, with the version
    each made and the one it replaced."""
    return (
        statement.updates.public()
        .filter(kind=StatementUpdate.Kind.CORRECTION)
        .select_related("version", "previous_version")
    )


def public_versions(corrections: list[StatementUpdate]) -> dict[int, Version]:
    """By number, the versions a statement's readers may read: each text its published
    corrections replaced or made. Never a correction awaiting sign-off or withdrawn."""
    return {
        version.number: version
        for correction in corrections
        for version in (correction.previous_version, correction.version)
        if version is not None
    }
