"""Reads that the public pages, feeds, the API, the admin and the emails share."""

from dataclasses import dataclass

from django.db.models import Q

from campaigns.models import CallToAction
from campaigns.selectors import calls_to_action
from organizations.models import Organization
from statements.diff import versions_compared
from statements.models import Signature, SignoffEvent, Statement, content_hash


def statement_context(statement: Statement) -> dict:
    """Everything the statement's text shows, in as many queries however many signed it.

    A translation shows its own text with the release's signatories and press contacts,
    which are its original's.
    """
    original = statement.original
    signatures = list(
        original.signatures.listed()
        .in_order(original.signatory_order)
        .select_related("organization")
    )
    return {
        "statement": statement,
        "demands": list(statement.demands.all()),
        "quotes": list(statement.quotes.select_related("organization")),
        "issuers": [s.organization for s in signatures if s.role == Signature.Role.ISSUER],
        "signatories": [s.organization for s in signatures if s.role == Signature.Role.SIGNATORY],
        "press_contacts": [
            p.contact for p in original.press_contacts.select_related("contact__organization")
        ],
        "related_links": list(statement.related_links.all()),
    }


def statement_page_context(statement: Statement, *, preview: bool = False) -> tuple[dict, list]:
    """What the statement's page shows (the public page, and the preview staff see before
    publication), and the times at which it changes by itself."""
    context = statement_context(statement) | {"preview": preview}
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
