"""Requests refused before any view, form or database query reads them, answers
without the body a HEAD request must not get, what caches in front may keep, the
admin in its staff member's language, and who acted from where for the audit log."""

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.middleware import locale
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import has_vary_header, patch_vary_headers
from django.utils.http import split_header_value
from django.utils.translation import gettext

from core.http import visitor_address


class RequestSizeLimitMiddleware:
    """A body announced as larger than MAX_REQUEST_MB is refused, unread, with a 413.

    Django reads a whole form, uploads included, before a view can refuse it: a
    200 MB post would be read even from an address the rate limits already stopped.
    The reverse proxy in front should refuse it first (see the README).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        if length > settings.MAX_REQUEST_MB * 1024 * 1024:
            return render(request, "413.html", {"limit": settings.MAX_REQUEST_MB}, status=413)
        return self.get_response(request)


class NulCharacterMiddleware:
    """A NUL character in the address, the query or a cookie ends the request here.

    PostgreSQL refuses NUL in text, so any lookup by a slug, token, filter, search
    or session key holding one would answer a 500. Form fields need nothing here:
    Django's forms refuse NUL with a message on the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404(gettext("The address holds a NUL character."))
        if any(_has_nul(key, *values) for key, values in request.GET.lists()):
            raise BadRequest(gettext("The query string holds a NUL character."))
        if any(_has_nul(name, value) for name, value in request.COOKIES.items()):
            raise BadRequest(gettext("A cookie holds a NUL character."))
        return self.get_response(request)


def _has_nul(*texts: str) -> bool:
    return any("\x00" in text for text in texts)


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


class CacheControlMiddleware:
    """Only what a view declared cacheable (core.http.cacheable) may be kept by a proxy or
    CDN; every other answer is "private, no-store": tokenized pages, the admin and
    /accounts/, answers to a POST, errors and redirects.

    A cacheable page is made private too when its answer sets a cookie (a CSRF token, a
    language, a session) or read the session (a signed-in member of staff reading the
    public site): a shared cache must never hand one visitor's cookie or page to another.
    Early in MIDDLEWARE, so that it sees the cookies the session, CSRF and messages
    middleware add on the way out; static files (WhiteNoise, before it) keep theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = _directives(response)
        # never_cache's own header (private and no-store already) stays as it is.
        private = "public" not in directives and {"private", "no-store"} <= directives
        if not private and not _may_be_shared(request, response, directives):
            response["Cache-Control"] = "private, no-store"
        return response


def _directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {d.split("=", 1)[0].strip().lower() for d in split_header_value(header)}


def _may_be_shared(request, response, directives: set[str]) -> bool:
    session = getattr(request, "session", None)
    return (
        "public" in directives
        and request.method in ("GET", "HEAD")
        and not response.cookies
        and not (session is not None and (session.accessed or session.modified))
        and not request.path_info.startswith((reverse("admin:index"), "/accounts/"))
    )


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, without the Vary: Accept-Language it adds to every address that has no
    language prefix.

    With prefix_default_language=False such an address is English whatever the browser
    asks (Django's own process_request says so), and the header would make a shared
    cache keep one copy of each English page per browser language. Views whose language
    does follow the browser say so themselves: the admin (AdminLanguageMiddleware) and
    the API (front/api.py).
    """

    def process_response(self, request, response):
        varied = has_vary_header(response, "Accept-Language")
        response = super().process_response(request, response)
        if not varied and has_vary_header(response, "Accept-Language"):
            kept = [
                header
                for header in split_header_value(response["Vary"])
                if header.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


class AdminLanguageMiddleware:
    """The admin speaks the language its staff member chose, kept in the language cookie
    by Django's set_language view, or else their browser's.

    LocaleMiddleware takes the language from the address, and an address without a
    prefix is English (prefix_default_language=False): right for the public pages, but
    the admin has no prefix, so it would always be English. The same for the staff's
    sign-in, two-factor and password pages under /accounts/ (django-allauth). After
    LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith((reverse("admin:index"), "/accounts/")):
            return self.get_response(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


class SignedInSessionMiddleware:
    """A signed-in session is saved again on each request, so that it ends
    SESSION_COOKIE_AGE (STAFF_SESSION_IDLE_MINUTES) after the last one.

    Django's SESSION_SAVE_EVERY_REQUEST would save every session a cookie names: a stale
    cookie (an ended session) would get a new empty session on each public page, and a
    cookie holding NUL would reach the database. Here only a session with someone signed
    in is touched; a request without a session cookie never loads one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            request.session.modified = True
        return response


class AuditContextMiddleware:
    """Who made each change the audit log records, and from which address: the signed-in
    staff member and the visitor address the rest of the site uses (RATELIMIT_IP_META_KEY
    or REMOTE_ADDR), not auditlog's own guess from X-Forwarded-For, which anyone can send.

    As SignedInSessionMiddleware, it loads nobody for a request without a session cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            actor = request.user
        with set_actor(actor, remote_addr=visitor_address(request)):
            return self.get_response(request)
