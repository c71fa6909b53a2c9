"""A stored search document per statement, for ranking search results, on PostgreSQL only.

Ranking rebuilt each matching statement's tsvector from its text and demands on every
search: 13 s a results page for a common word at 5,000 statements. The column below holds
that very vector (the rank expression statements.search used until this migration), so a
search reads it instead. Triggers keep it current, rather than each service that writes
a title, body or demand remembering to: the admin's inlines, imports, translations,
corrections, the demo and bulk_create all write those rows.

The column is not on the Django model: no page but the search reads it, and every other
query loading statements would carry it. SQLite has no full-text search and ranks
without it (statements.search).
"""

from django.db import migrations

CREATE = """
ALTER TABLE statements_statement ADD COLUMN search_document tsvector;

-- The configurations of statements.search.SEARCH_CONFIGS: a change there needs a
-- migration that replaces this function and refills the column.
CREATE FUNCTION statements_search_document(
    language text, title text, standfirst text, body text, statement_id bigint
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(config, COALESCE(title, '')), 'A')
        || setweight(to_tsvector(config, COALESCE(standfirst, '')), 'B')
        || setweight(to_tsvector(config, COALESCE(body, '')), 'C')
        || setweight(to_tsvector('simple', COALESCE((
            SELECT string_agg(d.heading || ' ' || d.text, ' ' ORDER BY d.position, d.id)
            FROM statements_demand d WHERE d.statement_id = statements_search_document.statement_id
        ), '')), 'C')
    FROM (SELECT (CASE language
        WHEN 'en' THEN 'english' WHEN 'ar' THEN 'arabic' WHEN 'fr' THEN 'french'
        WHEN 'es' THEN 'spanish' WHEN 'de' THEN 'german' WHEN 'tr' THEN 'turkish'
        ELSE 'simple' END)::regconfig AS config) AS c
$$;

CREATE FUNCTION statements_statement_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := statements_search_document(
        NEW.language, NEW.title, NEW.standfirst, NEW.body, NEW.id
    );
    RETURN NEW;
END
$$;

-- Also when search_document itself is written: that is how a demand's change asks for
-- its statement's document again.
CREATE TRIGGER statement_search_document
BEFORE INSERT OR UPDATE OF title, standfirst, body, language, search_document
ON statements_statement FOR EACH ROW EXECUTE FUNCTION statements_statement_search_document();

-- Once per SQL statement, not per row: bulk_create of a statement's demands rebuilds
-- its document once.
CREATE FUNCTION statements_demand_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE statements_statement SET search_document = NULL
        WHERE id IN (SELECT statement_id FROM new_demands);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE statements_statement SET search_document = NULL
        WHERE id IN (SELECT statement_id FROM new_demands
                     UNION SELECT statement_id FROM old_demands);
    ELSE
        UPDATE statements_statement SET search_document = NULL
        WHERE id IN (SELECT statement_id FROM old_demands);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER demand_search_document_insert AFTER INSERT ON statements_demand
REFERENCING NEW TABLE AS new_demands
FOR EACH STATEMENT EXECUTE FUNCTION statements_demand_search_document();
CREATE TRIGGER demand_search_document_update AFTER UPDATE ON statements_demand
REFERENCING OLD TABLE AS old_demands NEW TABLE AS new_demands
FOR EACH STATEMENT EXECUTE FUNCTION statements_demand_search_document();
CREATE TRIGGER demand_search_document_delete AFTER DELETE ON statements_demand
REFERENCING OLD TABLE AS old_demands
FOR EACH STATEMENT EXECUTE FUNCTION statements_demand_search_document();

-- The statements already there.
UPDATE statements_statement SET search_document = NULL;
"""

DROP = """
DROP TRIGGER demand_search_document_delete ON statements_demand;
DROP TRIGGER demand_search_document_update ON statements_demand;
DROP TRIGGER demand_search_document_insert ON statements_demand;
DROP FUNCTION statements_demand_search_document();
DROP TRIGGER statement_search_document ON statements_statement;
DROP FUNCTION statements_statement_search_document();
DROP FUNCTION statements_search_document(text, text, text, text, bigint);
ALTER TABLE statements_statement DROP COLUMN search_document;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("statements", "0009_after_release_updates")]

    operations = [migrations.RunPython(create, drop)]
