"""A journalist's links: unsubscribe, and the private preview of an embargoed statement."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.datetimes import spelled_datetime
from core.http import noindex
from organizations.services import is_suppressed
from press import services
from press.emails import TEST_COPY_TOKEN, press_parts
from statements.models import Statement


@csrf_exempt
@noindex
@never_cache
def press_unsubscribe(request, token: str):
    """A GET shows a button; a POST unsubscribes, with or without cookies (RFC 8058 one-click)."""
    if token == TEST_COPY_TOKEN:
        return render(request, "press/unsubscribe.html", {"state": "test"})
    acted = False
    if request.method == "POST":
        delivery, acted = services.unsubscribe(token=token)
    else:
        delivery = services.delivery_by_token(field="unsubscribe_token_hash", token=token)
    if delivery is None:
        status, state = 404, "unknown"
    elif services.unsubscribe_expired(delivery):
        status, state = 410, "expired"
    elif is_suppressed(delivery.email):
        status, state = 200, "done"
    else:
        status, state = 200, "ask"
    context = {"delivery": delivery, "state": state, "acted": acted}
    return render(request, "press/unsubscribe.html", context, status=status)


@noindex
@never_cache
def press_preview(request, token: str):
    """A journalist's private preview of an embargoed statement, until it is public: the
    text they were sent, in their language when the release has it."""
    delivery = services.delivery_by_token(field="preview_token_hash", token=token)
    if delivery is None:
        raise Http404(_("No such preview"))
    parts = press_parts(delivery.distribution.statement)
    statement = parts.shown(delivery.contact.language)
    if statement.is_public():
        return redirect(statement)
    if statement.status not in Statement.UNPUBLISHED_STATUSES:
        raise Http404(_("No such preview"))
    context = parts.context(statement) | {
        "preview": False,
        "embargo_text": spelled_datetime(delivery.distribution.embargoed_until),
    }
    return render(request, "press/preview.html", context)
