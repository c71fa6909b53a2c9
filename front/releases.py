"""A release (an original and its translations) as the public lists show it: one entry,
in the reader's language when the release has a public statement in it, otherwise the
original; and the signatures, which a release keeps on its original."""

from collections import defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from statements.models import Signature, Statement, listed_signatures


def public_originals():
    """The public statements that are not translations: one per release."""
    return Statement.objects.public().filter(translation_of=None)


def release_entries(originals, language: str):
    """For each of these originals, its public translation in `language` if it has one,
    otherwise itself: one query, whatever the number of releases or languages."""
    public = Statement.objects.public()
    translated = public.filter(translation_of=OuterRef("pk"), language=language)
    return public.filter(
        Q(pk__in=originals.filter(~Exists(translated)).values("pk"))
        | Q(translation_of__in=originals.values("pk"), language=language)
    )


def release_alternates(statement: Statement) -> list[Statement]:
    """The release's public statements, the original first: what a page links to as the
    same text in other languages (itself included)."""
    return [member for member in statement.release() if member.is_public()]


def with_release_issuers(statements) -> list[Statement]:
    """The statements, each with `issuer_signatures`: its release's listed issuers (the
    original's signatures), in one query however many there are."""
    statements = list(statements)
    if not statements:
        return statements
    issuers = defaultdict(list)
    found = (
        Signature.objects.listed()
        .filter(
            role=Signature.Role.ISSUER,
            statement__in={s.translation_of_id or s.pk for s in statements},
        )
        .select_related("organization")
    )
    for signature in found:
        issuers[signature.statement_id].append(signature)
    for statement in statements:
        statement.issuer_signatures = issuers[statement.translation_of_id or statement.pk]
    return statements


def release_signatory_count(role: str | None = None):
    """An annotation: how many listed signatures the statement's release has (on its
    original), of this role if one is given."""
    signatures = Signature.objects.filter(
        listed_signatures(),
        statement=Coalesce(OuterRef("translation_of"), OuterRef("pk")),
    )
    if role:
        signatures = signatures.filter(role=role)
    count = signatures.order_by().values("statement").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)
