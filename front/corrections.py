"""The public record of a statement's corrections: each earlier text at its own address,
and a word-by-word comparison of two of its texts.

Only the texts readers were shown are readable: the one the statement went out with and
those its published corrections made. A correction awaiting sign-off, or withdrawn, is
not found.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from core.http import cacheable
from core.languages import direction
from core.pagecache import cached_page
from statements.diff import versions_compared
from statements.markdown import render_markdown
from statements.models import Statement
from statements.selectors import public_versions, statement_corrections, version_text


def _statement_and_versions(slug: str):
    statement = get_object_or_404(
        Statement.objects.public().select_related("translation_of"), slug=slug
    )
    corrections = list(statement_corrections(statement))
    return statement, corrections, public_versions(corrections)


def _text(statement: Statement, version) -> dict:
    """The version's text in the statement's language, as the page shows it."""
    language, text = version_text(version.content, statement.language)
    language = language or statement.language
    return {
        "text": text,
        "text_language": language,
        "text_direction": direction(language),
        "body_html": mark_safe(render_markdown(text.get("body", ""))),
        "closing_html": mark_safe(render_markdown(text.get("closing", ""))),
    }


def _own_text(content: dict, language: str) -> dict:
    """The words of one language, without the release's other languages and signatories."""
    _language, text = version_text(content, language)
    return {k: v for k, v in text.items() if k not in ("language", "translations", "signatories")}


@cacheable
@cached_page("statement")
def statement_version(request, slug: str, number: int):
    statement, corrections, versions = _statement_and_versions(slug)
    version = versions.get(number)
    if version is None:
        raise Http404("No earlier text of this statement has that number")
    if version.pk == statement.published_version_id:
        return redirect(statement.get_absolute_url())
    # The correction that replaced it: every earlier text readable was replaced by one.
    replaced_by = next((c for c in corrections if c.previous_version_id == version.pk), None)
    context = {
        "statement": statement,
        "version": version,
        "replaced_by": replaced_by,
        "content": version.content,
    } | _text(statement, version)
    return render(request, "front/statement_version.html", context)


@cacheable
@cached_page("statement")
def statement_compare(request, slug: str, old: int, new: int):
    statement, corrections, versions = _statement_and_versions(slug)
    if old not in versions or new not in versions or old == new:
        raise Http404("These are not two texts of this statement that were public")
    language = statement.language
    old_version, new_version = versions[old], versions[new]
    rows = versions_compared(
        _own_text(old_version.content, language), _own_text(new_version.content, language)
    )
    context = {
        "statement": statement,
        "old": old_version,
        "new": new_version,
        "current": statement.published_version_id,
        # A part neither text has (the press contacts' heading, say) is no row at all.
        "rows": [row for row in rows if row["old"] or row["new"]],
        "corrections": [c for c in corrections if old < c.version.number <= new],
        "text_direction": statement.text_direction,
    }
    return render(request, "front/statement_compare.html", context)
