from django.apps import AppConfig
from django.db.backends.signals import connection_created

from core.collation import sqlite_collation_register


class StatementsConfig(AppConfig):
    name = "statements"

    def ready(self):
        from statements import checks

        checks.register()
        # Signatories are ordered by a collation SQLite does not have (core.collation).
        connection_created.connect(sqlite_collation_register)
