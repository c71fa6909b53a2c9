"""`manage.py import_release PATH [PATH…]`: read finished releases; create them as drafts.

With --json nothing is written: each file's parts (the dict `release_parse` returns) are
printed as one JSON object a line, to check the parser on real releases or feed another
tool. A file that cannot be read is reported on stderr and the others still go through;
the exit code then says that something failed.

Without --json the drafts are made on behalf of a staff member (--user), whose
permission to add statements the service checks, as it does on the admin's page.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core.links import absolute
from statements.importing import release_parse
from statements.services.importing import release_import_create


class Command(BaseCommand):
    help = (
        "Read releases (.txt, .md, .html, .docx, .odt); create each as a draft statement and "
        "print its admin address, or with --json print what was recognised and write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object per file, one a line; write nothing.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The staff member the drafts are made for (required without --json).",
        )

    def handle(self, *args, paths: list[Path], as_json: bool = False, user=None, **options):
        by = None if as_json else self._staff_member(user)
        failed = 0
        for path in paths:
            try:
                parsed = release_parse(upload=path)
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{path}: {' '.join(error.messages)}")
                continue
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: {error.strerror or error}")
                continue
            if as_json:
                self.stdout.write(json.dumps(parsed, ensure_ascii=False))
                continue
            try:
                statement = release_import_create(parsed=parsed, by=by)
            except (ValidationError, PermissionDenied) as error:
                failed += 1
                message = " ".join(getattr(error, "messages", None) or [str(error)])
                self.stderr.write(f"{path}: {message}")
                continue
            address = absolute(reverse("admin:statements_statement_change", args=[statement.pk]))
            self.stdout.write(f"{path}: {address}")
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files could not be read.")

    def _staff_member(self, username):
        if not username:
            raise CommandError("Name the staff member the drafts are for: --user USERNAME.")
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no active user “{username}”.") from None
