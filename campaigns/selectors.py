"""Reads of campaigns that the public pages and the API share."""

from datetime import datetime

from django.utils import timezone

from campaigns.models import CallToAction


def calls_to_action(calls) -> tuple[list[CallToAction], datetime | None]:
    """The calls shown now that a reader can act on, in one query, and the next time
    that changes by itself: a call starts or ends, a co-sign call's statement closes."""
    now = timezone.now()
    coming = list(calls.not_ended(now).select_related("statement"))
    shown = [call for call in coming if call.has_started(now) and call.is_actionable()]
    changes = [call.starts_at for call in coming if not call.has_started(now)]
    changes += [call.ends_at for call in shown if call.ends_at]
    changes += [
        call.statement.cosign_closes_at
        for call in shown
        if call.kind == CallToAction.Kind.COSIGN and call.statement.cosign_closes_at
    ]
    return shown, min(changes, default=None)
