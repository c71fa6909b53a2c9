"""`manage.py demo`: staff logins, and demo statements in every state when there are none.

`make run` calls it on every start. The statements are only created while there are none,
so whatever staff change in the admin survives a restart. The logins are the superuser and
one member of each role, to try what each may do; their passwords are new each time and
printed, so nobody has to remember them.
"""

import os

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.services import demo_data_create, staff_password_reset
from statements.models import (
    Statement,
)


class Command(BaseCommand):
    help = (
        "Ensure staff logins (the superuser, one per role) with new passwords; load demo "
        "statements if there are none."
    )

    def handle(self, *args, **options):
        if Statement.objects.exists():
            self.stdout.write("Demo data already present: left as it is.")
        else:
            with transaction.atomic():
                statements = demo_data_create(now=timezone.now())
            states = ", ".join(statement.get_status_display().lower() for statement in statements)
            self.stdout.write(f"Demo data created: {len(statements)} statements ({states}).")

        logins = staff_password_reset()
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(self.style.SUCCESS(f"Staff logins at http://{host}:{port}/admin/"))
        width = max(len(role) for role, _username, _password in logins)
        for role, username, password in logins:
            self.stdout.write(
                self.style.SUCCESS(f"  {role:<{width}}  user: {username:<10}  password: {password}")
            )
