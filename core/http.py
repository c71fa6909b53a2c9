"""Decorators for views."""

from functools import wraps


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
