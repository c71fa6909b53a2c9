"""What staff may do to statements, checked in the services that do it: the admin's
pages, a posted form and a management command all meet the same refusal."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def statement_add_require(*, by) -> None:
    if by is None or not by.has_perm("statements.add_statement"):
        raise PermissionDenied(_("You may not add statements."))


def statement_change_require(*, by) -> None:
    if by is None or not by.has_perm("statements.change_statement"):
        raise PermissionDenied(_("You may not change statements."))
