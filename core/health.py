"""Health endpoints for load balancers and orchestrators, answered before any other
middleware.

/health/live/ says the process answers (no database, no Redis): restart it if not.
/health/ready/ says it can serve: the database answers, every migration is applied,
Redis answers and a Celery worker was seen lately (those two only with REDIS_URL: the
embedded default has neither). 200 when all hold, 503 otherwise, as plain text or as
JSON (Accept: application/json or ?format=json), never cached.

HealthCheckMiddleware answers them first in MIDDLEWARE, so they cost no session,
language, CSRF or page cache work, pass no rate limit, and answer whatever Host the
load balancer sends (often the machine's IP address, which ALLOWED_HOSTS does not
list) and over plain HTTP even with SECURE_SSL_REDIRECT on: the answers name no host
and hold nothing but each check's state. core.logs.QuietHealthChecks keeps a 503 out
of the error log (and so out of Sentry).
"""

import dataclasses
import datetime
import time

import redis.asyncio
from asgiref.sync import async_to_sync
from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable

LIVE_PATH = "/health/live/"
READY_PATH = "/health/ready/"
PATHS = (LIVE_PATH, READY_PATH)

# A worker that answered a ping this recently counts as seen, without another ping:
# each probe of each web process would otherwise broadcast one to every worker.
WORKER_SEEN_SECONDS = 10


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration this code knows is applied.

    Once they are, the process remembers it: migrations are not unapplied under a
    running deployment, and new ones come with new code, which starts new processes.
    """

    applied = False

    def run(self):
        if Migrations.applied:
            return
        executor = MigrationExecutor(connection)
        try:
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        finally:
            connection.close()  # this thread's connection: back to the pool
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")
        Migrations.applied = True


@dataclasses.dataclass
class Worker(Ping):
    """A Celery worker consuming the default queue answered a ping lately."""

    seen_at = 0.0

    def run(self):
        if time.monotonic() - Worker.seen_at < WORKER_SEEN_SECONDS:
            return
        super().run()
        Worker.seen_at = time.monotonic()


def _redis_client():
    return redis.asyncio.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
    )


def readiness_checks() -> dict[str, HealthCheck]:
    checks: dict[str, HealthCheck] = {"database": Database(), "migrations": Migrations()}
    if settings.REDIS_URL:
        checks["redis"] = Redis(client_factory=_redis_client)
        checks["worker"] = Worker(app=current_app, timeout=datetime.timedelta(seconds=1), limit=1)
    return checks


async def _results(checks: dict[str, HealthCheck]) -> dict[str, str]:
    states = {}
    for name, check in checks.items():
        result = await check.get_result()
        states[name] = str(result.error) if result.error else "ok"
    return states


def _answer(request, states: dict[str, str]) -> HttpResponse:
    status = 200 if all(state == "ok" for state in states.values()) else 503
    if request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        response = JsonResponse(states, status=status)
    else:
        text = "".join(f"{name}: {state}\n" for name, state in states.items())
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, …
    return response


def live(request) -> HttpResponse:
    return _answer(request, {"process": "ok"})


def ready(request) -> HttpResponse:
    # The checks are django-health-check's, which run asynchronously.
    return _answer(request, async_to_sync(_results)(readiness_checks()))


class HealthCheckMiddleware:
    """Answers /health/live/ and /health/ready/ before the middleware after it runs.

    First in MIDDLEWARE (after the request id): see the module's docstring.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == LIVE_PATH:
            return live(request)
        if request.path_info == READY_PATH:
            return ready(request)
        return self.get_response(request)
