"""Public pages served whole from the shared cache, so a statement that goes viral
costs a cache read per visit and no database query.

A cached page remembers the generation of what it shows: "site" (anything at all)
and the statement or campaign by slug. public_pages_changed() gives a part a new
generation once the transaction that changed it commits, and the pages holding
the old one are rendered again at their next visit. Generations are read before
the page is rendered, so a change committed while it renders is never hidden.

Each process also keeps the pages it served lately and checks them against
Redis at most once every LOCAL_SECONDS: under a crowd most visits then cost no
round trip at all. A change made in this process drops its copies at once;
one made in another process reaches it within LOCAL_SECONDS.

kept_fragment() keeps, with the same generations, what a view works out for such a
page, so that rendering it again without a change (the statement page past the time
a call to action starts, say) costs less.

Only pages that look the same to every visitor may use it (no CSRF token, no
session); it is on only with a cache that every process shares (Redis), since a
change made in one process must reach the pages another process serves.
"""

import gzip
import hashlib
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

SITE = "site"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
LOCAL_SECONDS = 1.0
LOCAL_PAGES = 500  # a few megabytes of compressed pages at most

# page key -> (when last found current in Redis, on time.monotonic(); the entry)
_local: dict[str, tuple[float, dict]] = {}


def _generation_key(part: str) -> str:
    # Slugs may be in any script: the key is a digest, safe for every cache backend.
    return "page-generation:" + hashlib.sha256(part.encode()).hexdigest()[:32]


def _page_key(path: str) -> str:
    return "page:" + hashlib.sha256(path.encode()).hexdigest()[:32]


def public_pages_changed(*parts: str) -> None:
    """The public pages showing these parts (every page when none is named) are stale
    once the current transaction commits. Parts are "statement:<slug>" or "campaign:<slug>"."""
    keys = [_generation_key(part) for part in parts or (SITE,)]

    def bump() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
        _local.clear()

    transaction.on_commit(bump)


def _generations(keys: list[str], found: dict[str, str]) -> dict[str, str]:
    """The current generations, a new one given to each part that has none yet."""
    missing = [key for key in keys if key not in found]
    if not missing:
        return found
    # add(), not set(): a generation another process just gave stays.
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get_many(keys)


def _serve(request, entry: dict, state: str) -> HttpResponse:
    """The kept page, compressed when the visitor takes gzip (browsers do; the page
    holds no secret for a compression attack to find), or a 304 if they have it."""
    etag = entry["etag"]
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(entry["gzip"], content_type=entry["type"])
        response["Content-Encoding"] = "gzip"
        etag = etag[:-1] + '-gzip"'
    else:
        # Unpacked once per process copy: only the rare visitor without gzip pays it.
        if "body" not in entry:
            entry["body"] = gzip.decompress(entry["gzip"])
        response = HttpResponse(entry["body"], content_type=entry["type"])
    response["ETag"] = etag
    response["X-Page-Cache"] = state
    patch_vary_headers(response, ["Accept-Encoding"])
    # What browsers and proxies may keep is the view's cacheable() decision; a check
    # back with the ETag costs a 304. The page is not kept longer than here.
    response = get_conditional_response(request, etag=etag, response=response)
    response.fresh_until = datetime.fromtimestamp(entry["expires"], UTC)
    return response


def cached_page(part: str, *, params: tuple[str, ...] = ()):
    """Serve the view's 200 answers to GET and HEAD from the cache; part names what the
    page shows: "statement" or "campaign", with the view's slug. params are the query
    parameters that choose what the page shows ("page"): each value has its own copy.

    A view may set response.fresh_until (a datetime) when its page changes by itself
    at a known time, a call to action starting or ending say.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # What the page's own links to it may carry (the language switch's): the
            # first visitor's tracking parameters would be kept in the page for all.
            request.page_params = params
            seconds = settings.PAGE_CACHE_SECONDS
            if request.method not in ("GET", "HEAD") or not seconds:
                return view(request, *args, **kwargs)
            # The rest of the query string is left out: these pages ignore it, and visits
            # with tracking parameters or made-up ones must not each render the page.
            chosen = [f"{name}={request.GET.get(name, '')}" for name in params]
            key = _page_key("?".join([request.path, *chosen]))
            checked, entry = _local.get(key, (0.0, None))
            if entry and time.monotonic() - checked < LOCAL_SECONDS and _alive(entry):
                return _serve(request, entry, "hit")
            generation_keys = [_generation_key(p) for p in (SITE, f"{part}:{kwargs['slug']}")]
            # One round trip: the page and the generations it must still match.
            found = cache.get_many([key, *generation_keys])
            entry = found.pop(key, None)
            if entry and entry["generations"] == found:
                _keep(key, entry)
                return _serve(request, entry, "hit")

            generations = _generations(generation_keys, found)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            body = response.content
            # Kept compressed only: a tenth of the bytes to read from Redis on each
            # visit, and most visitors take it so.
            entry = {
                "gzip": gzip.compress(body, mtime=0),
                "type": response["Content-Type"],
                "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
                "generations": generations,
            }
            timeout = _timeout(seconds, getattr(response, "fresh_until", None))
            entry["expires"] = time.time() + timeout
            if timeout > 0:
                cache.set(key, entry, timeout=timeout)
                _keep(key, entry)
            return _serve(request, entry, "miss")

        return wrapper

    return decorator


def _keep(key: str, entry: dict) -> None:
    _local.pop(key, None)
    if len(_local) >= LOCAL_PAGES:
        _local.pop(next(iter(_local)))  # the one found current longest ago
    _local[key] = (time.monotonic(), entry)


def _alive(entry: dict) -> bool:
    """Whether the page is still within the time it may be kept (as in Redis)."""
    return time.time() < entry["expires"]


def kept_fragment[T](name: str, part: str, build: Callable[[], T]) -> T:
    """build()'s value (some of a page's HTML, say), kept while the pages showing part
    ("statement:<slug>") keep their generations, and no longer than a page is: for what
    a page shows the same to every visitor and costs most to work out, so that a render
    the page cache cannot spare without a change (a page past its fresh_until, or gone
    from the cache) does not work it out again. name says what it is and all it depends
    on besides (the statement, the language).

    Off where the page cache is off: a change made in one process must reach what
    another keeps, and the generations it is kept with are the pages'.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    key = "fragment:" + hashlib.sha256(name.encode()).hexdigest()[:32]
    generation_keys = [_generation_key(p) for p in (SITE, part)]
    # As for pages: one round trip, and the generations read before build() reads anything.
    found = cache.get_many([key, *generation_keys])
    entry = found.pop(key, None)
    if entry and entry["generations"] == found:
        return entry["value"]
    generations = _generations(generation_keys, found)
    value = build()
    cache.set(key, {"value": value, "generations": generations}, timeout=seconds)
    return value


def forget_local_pages() -> None:
    """Drop this process's copies (the tests start each with none)."""
    _local.clear()


def _timeout(seconds: int, fresh_until: datetime | None) -> int:
    if fresh_until is None:
        return seconds
    return max(0, min(seconds, int((fresh_until - timezone.now()).total_seconds())))
