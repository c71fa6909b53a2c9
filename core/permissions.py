"""The one check every service that acts for staff makes before it acts.

The admin hides what a role may not do, but a form can be posted and a command run
without it: the refusal lives in the service, and says in words what was refused.
"""

from django.core.exceptions import PermissionDenied


def permission_require(*, by, perm: str, message: str) -> None:
    """Refuse unless `by` holds `perm` ("app_label.codename"). Nobody (None) holds none:
    a path without a person (the beat, a task) calls the service's internal function."""
    if by is None or not by.has_perm(perm):
        raise PermissionDenied(message)
