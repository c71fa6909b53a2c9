"""Decorators for views, the visitor's address, and the page of a request the site could
not read."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


def noindex(view):
    """For pages behind a private link: whoever has the link may read them, search engines
    may not, even when the link leaks into a page they crawl.

    Nor does the page pass its address on: what it loads (our CSS and scripts, whose
    requests the access logs print) and the links followed from it get the site's origin
    as their Referer, never the path that holds the secret.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Not no-referrer: a form's POST would then carry "Origin: null", which Django's
        # CSRF check refuses.
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapper


def bad_request(request, exception):
    """The 400 page (handler400), saying when the form was too large to be read.

    Unlike Django's own, it asks for no CSRF token: getting one reads the form again,
    and a form Django refused to read (one sent in Latin-1, say) is refused again,
    which turned the 400 into a 500.
    """
    context = {
        "too_many_fields": isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)),
        "too_large": isinstance(exception, RequestDataTooBig),
    }
    return HttpResponseBadRequest(render_to_string("400.html", context, request))


def visitor_address(request) -> str | None:
    """The visitor's IP address (the /64 network of an IPv6 one), from the request header
    RATELIMIT_IP_META_KEY names or from REMOTE_ADDR; None when the request has none.

    REMOTE_ADDR is empty when gunicorn listens on a Unix socket, and a header is missing on
    a request that did not come through the proxy.
    """
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")
    # A proxy appends the address it saw to X-Forwarded-For: the last one is its own.
    raw = raw.rsplit(",", 1)[-1].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
