"""Redis left alone for a few seconds after it fails, so that a request waits on it once at most.

Redis is the cache and the Celery broker. When it is down the cache ignores its errors and
tasks are left to the sweeps, but every call still waits for its timeout: nothing when the
port refuses connections, 0.25 s per cache call and 1 s per task published when Redis
accepts connections and never answers, several times in one co-sign submission. After one
failure this process skips Redis for PAUSE_SECONDS: cache reads miss, writes are dropped,
tasks are not published (the sweeps queue them), and the co-sign rate limits count in the
database. The first call after the pause tries Redis again.
"""

import logging
import time
from collections.abc import Callable

import redis
from redis.client import Pipeline

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 10.0
# What a cache call may fail with when Redis is unreachable (not a wrong command, say).
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, OSError)

_paused_until = 0.0  # on time.monotonic()


class RedisPaused(redis.ConnectionError):
    """Redis failed moments ago: this call did not try it."""


def redis_paused() -> bool:
    return time.monotonic() < _paused_until


def redis_failed(error: Exception) -> None:
    """Leave Redis alone for PAUSE_SECONDS, saying so in the log once per outage and pause."""
    global _paused_until
    if not redis_paused():
        logger.warning(
            "Redis failed (%s): this process leaves it alone for %s s", error, PAUSE_SECONDS
        )
    _paused_until = time.monotonic() + PAUSE_SECONDS


def redis_resume() -> None:
    """Try Redis again at the next call (the tests start each with Redis taken for up)."""
    global _paused_until
    _paused_until = 0.0


def redis_call[T](call: Callable[..., T], *args, **kwargs) -> T:
    """call(*args, **kwargs) unless Redis failed moments ago (RedisPaused then); a failure
    of the call pauses Redis. For publishing a task, whose errors are the broker client's."""
    return _guarded(Exception, call, *args, **kwargs)


def _guarded(failures, call: Callable, *args, **kwargs):
    if redis_paused():
        raise RedisPaused("Redis failed moments ago")
    try:
        return call(*args, **kwargs)
    except failures as error:
        redis_failed(error)
        raise


class PausingRedis(redis.Redis):
    """The cache's Redis client (django-redis's REDIS_CLIENT_CLASS): it raises RedisPaused at
    once while Redis is paused, which the cache ignores like any connection error."""

    def execute_command(self, *args, **options):
        return _guarded(UNREACHABLE, super().execute_command, *args, **options)

    def pipeline(self, transaction=True, shard_hint=None) -> Pipeline:
        return PausingPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )


class PausingPipeline(Pipeline):
    def execute(self, raise_on_error: bool = True):
        return _guarded(UNREACHABLE, super().execute, raise_on_error)
