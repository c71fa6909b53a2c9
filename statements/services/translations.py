"""Translations: a statement in another language, linked to its original as one release.

A translation starts as a copy of the original's structure for staff to translate, and
records the original's text it was made from; staff mark it up to date once they have
checked it against a newer text of the original.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.languages import LANGUAGES
from core.permissions import permission_require
from statements.models import Demand, Quote, Statement, content_hash


def _unique_slug(original: Statement, language: str) -> str:
    field = Statement._meta.get_field("slug")
    base = slugify(f"{original.slug}-{language}", allow_unicode=True)[: field.max_length]
    slug, n = base, 1
    while Statement.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: field.max_length - len(suffix)] + suffix
    return slug


def _refusal(original: Statement, statement: Statement, language: str) -> ValidationError | None:
    names = dict(LANGUAGES)
    if statement.translation_of_id is not None:
        return ValidationError(
            _("This is itself a translation: make the new one from the original, “%(original)s”."),
            code="translation_of_translation",
            params={"original": original.title},
        )
    if language not in names:
        return ValidationError(
            _("Jointly does not know the language “%(language)s”."),
            code="unknown_language",
            params={"language": language},
        )
    if language == original.language:
        return ValidationError(
            _("The original is already in %(language)s: choose another language."),
            code="same_language",
            params={"language": names[language]},
        )
    if original.translations.filter(language=language).exists():
        return ValidationError(
            _("The release already has a translation in %(language)s."),
            code="translation_exists",
            params={"language": names[language]},
        )
    if original.status == Statement.Status.RETRACTED:
        return ValidationError(
            _("The statement is retracted: a retracted release gets no new translations."),
            code="retracted",
        )
    return None


def translation_create(*, statement: Statement, language: str, by) -> Statement:
    """A draft translation of the statement into `language`: the original's structure
    (headline, standfirst, dateline, body, demands and their heading, the text after them,
    quotes, the press contacts' heading, image, release date) copied
    for staff to translate."""
    permission_require(
        by=by, perm="statements.change_statement", message=_("You may not change statements.")
    )
    original = statement.original
    if refusal := _refusal(original, statement, language):
        raise refusal
    with transaction.atomic():
        # One translation per language, however many staff press the button at once.
        Statement.objects.select_for_update().filter(pk=original.pk).first()
        if refusal := _refusal(original, statement, language):
            raise refusal
        source = original.translated_text()
        translation = Statement.objects.create(
            translation_of=original,
            language=language,
            kind=original.kind,
            title=original.title,
            slug=_unique_slug(original, language),
            standfirst=original.standfirst,
            dateline=original.dateline,
            release_date=original.release_date,
            body=original.body,
            demands_heading=original.demands_heading,
            closing=original.closing,
            press_contacts_heading=original.press_contacts_heading,
            hero_image=original.hero_image.name,
            hero_alt=original.hero_alt,
            hero_credit=original.hero_credit,
            campaign_id=original.campaign_id,
            signatory_order=original.signatory_order,
            source_text=source,
            source_hash=content_hash(source),
            source_checked_at=timezone.now(),
        )
        Demand.objects.bulk_create(
            Demand(statement=translation, position=d.position, heading=d.heading, text=d.text)
            for d in original.demands.all()
        )
        Quote.objects.bulk_create(
            Quote(
                statement=translation,
                position=q.position,
                text=q.text,
                person_name=q.person_name,
                person_title=q.person_title,
                organization_id=q.organization_id,
            )
            for q in original.quotes.all()
        )
    return translation


def translation_mark_up_to_date(*, translation: Statement, by) -> Statement:
    """Record that staff checked the translation against the original's text as it is now."""
    permission_require(
        by=by, perm="statements.change_statement", message=_("You may not change statements.")
    )
    if translation.translation_of_id is None:
        raise ValidationError(
            _("Only a translation is checked against its original."), code="not_a_translation"
        )
    source = translation.translation_of.translated_text()
    translation.source_text = source
    translation.source_hash = content_hash(source)
    translation.source_checked_at = timezone.now()
    translation.save(
        update_fields=["source_text", "source_hash", "source_checked_at", "updated_at"]
    )
    return translation


def release_shared_sync(*, original: Statement) -> None:
    """Keep what a release shares the same on its translations (campaign, order of
    signatories), after staff changed the original: pages and lists of a campaign read
    each statement's own campaign."""
    original.translations.exclude(
        campaign_id=original.campaign_id, signatory_order=original.signatory_order
    ).update(campaign_id=original.campaign_id, signatory_order=original.signatory_order)
