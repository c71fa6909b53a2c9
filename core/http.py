"""Decorators for views."""

from functools import wraps


def noindex(view):
    """For pages behind a private link: whoever has the link may read them, search engines
    may not, even when the link leaks into a page they crawl."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
