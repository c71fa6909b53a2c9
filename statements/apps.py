from django.apps import AppConfig
from django.db.backends.signals import connection_created

from core.collation import sqlite_collation_register


class StatementsConfig(AppConfig):
    name = "statements"

    def ready(self):
        from statements import checks
        from statements.models import OutgoingEmail
        from statements.services import delivery, outgoing

        checks.register()
        outgoing.outgoing_after_sent_register(
            OutgoingEmail.Kind.TARGET_DELIVERY, delivery.target_delivery_sent
        )
        # Signatories are ordered by a collation SQLite does not have (core.collation).
        connection_created.connect(sqlite_collation_register)
