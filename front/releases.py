"""A release (an original and its translations) as the public lists show it: one entry,
in the reader's language when the release has a public statement in it, otherwise the
original; and the signatures, which a release keeps on its original."""

from collections import defaultdict

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, RowNumber

from organizations.models import Organization
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


def archive_entries(language: str, **original):
    """release_entries(public_originals().filter(**original), language), as the archive
    reads it page by page: each public statement is tested on its own columns (an original
    with no public translation in `language`, or a public translation in it) rather than
    against the set of every original, so the database walks the statement_archive index
    in the archive's order and stops at the page shown, however large the archive."""
    public = Statement.objects.public()
    # Among translations only: the statement_public_translations index, not every public
    # statement in the language.
    translated = public.filter(
        translation_of=OuterRef("pk"), translation_of__isnull=False, language=language
    )
    return public.filter(
        Q(translation_of=None, **original) & ~Exists(translated)
        | Q(translation_of__in=public_originals().filter(**original), language=language)
    )


def public_years() -> list[int]:
    """The years public statements were released in, latest first. On PostgreSQL, one
    look in the statement_archive index per year (the latest date before the year last
    found) rather than a read of every public statement."""
    public = Statement.objects.public()
    if connection.vendor != "postgresql":
        return [day.year for day in public.dates("release_date", "year", order="DESC")]
    latest = f"""SELECT max(release_date) FROM {Statement._meta.db_table}
        WHERE status = ANY(%(public)s) AND release_date IS NOT NULL"""
    sql = f"""WITH RECURSIVE years(day) AS (
        ({latest})
        UNION ALL
        SELECT ({latest} AND release_date < make_date(extract(year FROM day)::int, 1, 1))
        FROM years WHERE day IS NOT NULL
    ) SELECT extract(year FROM day)::int FROM years WHERE day IS NOT NULL ORDER BY day DESC"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"public": list(Statement.PUBLIC_STATUSES)})
        return [year for (year,) in cursor.fetchall()]


def release_alternates(statement: Statement) -> list[Statement]:
    """The release's public statements, the original first: what a page links to as the
    same text in other languages (itself included)."""
    return [member for member in statement.release() if member.is_public()]


# How many signatories a card names when its release has no issuers.
CARD_SIGNATORIES = 3

ORGANIZATION_FIELDS = Organization._meta.concrete_fields


def organization_from(row: dict | None, db: str) -> Organization | None:
    """The organization whose columns `row` holds (JSON: a datetime as its text), as if
    read from its table."""
    if row is None:
        return None
    names = [field.attname for field in ORGANIZATION_FIELDS]
    values = [field.to_python(row[field.attname]) for field in ORGANIZATION_FIELDS]
    return Organization.from_db(db, names, values)


def with_release_issuers(statements) -> list[Statement]:
    """The statements, each with `issuer_signatures`: its release's listed issuers (the
    original's signatures) in the order staff gave them; for a card to name someone
    when there are none, `card_signatures`: its first CARD_SIGNATORIES organizations
    that signed, in the release's order, and `card_signatories_left`, how many more
    organizations there are; and `signatory_counts`, how many organizations and
    individuals signed (issuers aside). One query however many statements and
    signatures there are: the counts are window counts on the rows it reads."""
    statements = list(statements)
    if not statements:
        return statements
    # Issuers by position; signatories in the order their statement chose.
    by_position = Q(role=Signature.Role.ISSUER) | Q(
        statement__signatory_order=Statement.SignatoryOrder.MANUAL
    )
    by_date = Q(role=Signature.Role.SIGNATORY) & Q(
        statement__signatory_order=Statement.SignatoryOrder.SIGNED
    )
    in_role = {"partition_by": [F("statement_id"), F("role"), F("kind")]}
    # Each row's organization is looked up from the row, by its key: a subquery per row,
    # which the database runs as an index probe whatever its cost settings, where a join
    # let it hash every organization (4 to 11 ms at 7,500) to find the page's hundred.
    organization = Organization.objects.filter(pk=OuterRef("organization_id")).order_by()
    columns = {field.attname: field.attname for field in ORGANIZATION_FIELDS}
    found = (
        Signature.objects.listed()
        .filter(statement__in={s.translation_of_id or s.pk for s in statements})
        .alias(organization_sort=Subquery(organization.values("name")))
        .annotate(
            organization_row=Subquery(organization.values(row=JSONObject(**columns))),
            rank=Window(
                RowNumber(),
                order_by=[
                    Case(When(by_position, then=F("position")), default=Value(0)),
                    Case(When(by_date, then=F("created_at")), default=None),
                    F("organization_sort"),
                    F("id"),
                ],
                **in_role,
            ),
            in_role=Window(Count("id"), **in_role),
            # Every issuer, the first few organizations, one individual for their count.
            shown=Case(
                When(role=Signature.Role.ISSUER, then=F("in_role")),
                When(kind=Signature.Kind.INDIVIDUAL, then=Value(1)),
                default=Value(CARD_SIGNATORIES),
            ),
        )
        .filter(rank__lte=F("shown"))
        .order_by("statement_id", "role", "kind", "rank")
    )
    issuers, signatories = defaultdict(list), defaultdict(list)
    organizations, individuals = {}, {}
    for signature in found:
        signature.organization = organization_from(signature.organization_row, found.db)
        if signature.role == Signature.Role.ISSUER:
            issuers[signature.statement_id].append(signature)
        elif signature.is_individual():
            individuals[signature.statement_id] = signature.in_role
        else:
            signatories[signature.statement_id].append(signature)
            organizations[signature.statement_id] = signature.in_role
    for statement in statements:
        key = statement.translation_of_id or statement.pk
        statement.issuer_signatures = issuers[key]
        statement.card_signatures = [] if issuers[key] else signatories[key]
        statement.card_signatories_left = organizations.get(key, 0) - len(statement.card_signatures)
        statement.signatory_counts = {
            "organizations": organizations.get(key, 0),
            "individuals": individuals.get(key, 0),
        }
    return statements


def with_release_counts(statements, role: str | None = None) -> list[Statement]:
    """The statements (a queryset), each with `signatory_counts`: how many organizations
    and individuals its release lists (on its original), of this role if one is given.
    Counted in the list's own query, two subqueries, however many statements."""
    signatures = Signature.objects.filter(
        listed_signatures(),
        statement=Coalesce(OuterRef("translation_of"), OuterRef("pk")),
    )
    if role:
        signatures = signatures.filter(role=role)

    def count(kind: str):
        rows = signatures.filter(kind=kind).order_by().values("statement")
        rows = rows.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    statements = list(
        statements.annotate(
            organization_count=count(Signature.Kind.ORGANIZATION),
            individual_count=count(Signature.Kind.INDIVIDUAL),
        )
    )
    for statement in statements:
        statement.signatory_counts = {
            "organizations": statement.organization_count,
            "individuals": statement.individual_count,
        }
    return statements
