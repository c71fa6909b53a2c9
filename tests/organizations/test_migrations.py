import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organizations", "0002_names_and_image_limits")]
AFTER = [("organizations", "0003_languages_and_labels")]


@pytest.mark.django_db(transaction=True)
def test_languages_typed_as_names_become_codes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    outlet = old.get_model("organizations", "Organization").objects.create(
        name="Daily Planet", slug="daily-planet"
    )
    Contact = old.get_model("organizations", "Contact")
    for name, language in [("A", "Arabic"), ("B", "english"), ("C", "العربية"), ("D", "中文")]:
        Contact.objects.create(organization=outlet, name=name, language=language)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    languages = dict(
        new.get_model("organizations", "Contact").objects.values_list("name", "language")
    )
    assert languages == {"A": "ar", "B": "en", "C": "ar", "D": ""}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
