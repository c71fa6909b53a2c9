"""Decorators for views, the visitor's address, and the page of a request the site could
not read."""

import ipaddress
from functools import partial, wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_max_age, patch_cache_control


def cacheable(view=None, *, max_age: int = 0):
    """For pages that look the same to every visitor: a proxy or CDN in front may keep
    their 200 (and 304) answers PROXY_CACHE_SECONDS, browsers max_age seconds.

    0 for browsers by default: they check back on each visit, so that a correction or a
    retraction shows on the next reload (an unchanged cached page costs a 304). The
    proxy's copy is what spares the site a crowd; a page cannot tell it that it changed,
    so the setting bounds how late a change reaches readers. A view that set its own
    max-age keeps it, and the proxy may keep the page as long. A response with a
    fresh_until (core/pagecache.py) is kept no longer than that. Anything that sets a
    cookie or reads the session is made private all the same
    (core.middleware.CacheControlMiddleware).
    """
    if view is None:
        return partial(cacheable, max_age=max_age)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            shared_cache(response, max_age=max_age)
        return response

    wrapper.cacheable = True  # for the test that lists every cacheable address
    return wrapper


def shared_cache(response, *, max_age: int = 0) -> None:
    """cacheable()'s headers on one answer, for views that decide answer by answer."""
    own = get_max_age(response)
    max_age = own if own is not None else max_age
    proxy = max(settings.PROXY_CACHE_SECONDS, max_age)
    fresh_until = getattr(response, "fresh_until", None)
    if fresh_until is not None:
        left = max(0, int((fresh_until - timezone.now()).total_seconds()))
        max_age, proxy = min(max_age, left), min(proxy, left)
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=proxy)


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
