"""Full-text indexes for the public search, on PostgreSQL only.

PostgreSQL uses an expression index only for the very expression a query
searches, so the expressions below are frozen copies of
statement_search_document() and demand_search_document() in statements.search
as they were when this migration was written. SQLite has no full-text search;
statements are searched there without an index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Case, When

CONFIGS = {
    "en": "english",
    "ar": "arabic",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "tr": "turkish",
}


def indexes():
    def text_vector(config):
        return (
            SearchVector("title", config=config, weight="A")
            + SearchVector("standfirst", config=config, weight="B")
            + SearchVector("body", config=config, weight="C")
        )

    statement_document = Case(
        *(When(language=code, then=text_vector(config)) for code, config in CONFIGS.items()),
        default=text_vector("simple"),
    )
    demand_document = SearchVector("heading", "text", config="simple")
    return [
        ("statement", GinIndex(statement_document, name="statement_search")),
        ("demand", GinIndex(demand_document, name="demand_search")),
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.add_index(apps.get_model("statements", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.remove_index(apps.get_model("statements", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
