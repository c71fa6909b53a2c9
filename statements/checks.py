"""What `manage.py check --deploy` says about the settings the co-sign forms depend on."""

from django.conf import settings
from django.core import checks
from django.core.checks import Warning


def visitor_address_check(app_configs, **kwargs) -> list[Warning]:
    if settings.RATELIMIT_IP_META_KEY:
        return []
    return [
        Warning(
            "RATELIMIT_IP_META_KEY is not set: the co-sign rate limits take the visitor's "
            "address from REMOTE_ADDR.",
            hint="Behind a reverse proxy REMOTE_ADDR is the proxy's address, the same for "
            "every visitor, and over a Unix socket it is empty (the forms are then limited "
            "per email address only). Set RATELIMIT_IP_META_KEY to the header the proxy "
            "puts the visitor's address in, e.g. HTTP_X_REAL_IP.",
            id="jointly.W001",
        )
    ]


def shared_cache_check(app_configs, **kwargs) -> list[Warning]:
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: each process counts the co-sign rate limits on its own, "
            "and the page cache is off.",
            hint="Set REDIS_URL to a Redis every web process and worker shares.",
            id="jointly.W002",
        )
    ]


def register() -> None:
    checks.register(visitor_address_check, checks.Tags.security, deploy=True)
    checks.register(shared_cache_check, checks.Tags.caches, deploy=True)
