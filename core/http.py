"""Decorators for views, and the middleware that answers HEAD without a body."""

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


class HeadWithoutBodyMiddleware:
    """HEAD is answered with the headers GET would have, Content-Length included, and no
    body (RFC 9110, section 9.3.2).

    Views answer HEAD as they answer GET. Django's development server drops the body, but
    gunicorn sends what it is given (and logs "sent body bytes on a no-body response").
    First in MIDDLEWARE, so that the body goes after CommonMiddleware has measured it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # A file being served is still closed with the response.
                response.streaming_content = []
            else:
                response.content = b""
        return response
