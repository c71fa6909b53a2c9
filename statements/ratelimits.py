"""How often one visitor address and one email address may use the co-sign and resend forms,
and one visitor address the search.

django-ratelimit counts the attempts in the shared cache (Redis). While the cache does not
answer they are counted in the database instead (RateLimitCount), so an outage does not
lift the limits; the log says so.
"""

import hashlib
import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_ratelimit.core import get_usage

from core.http import visitor_address
from statements.models import RateLimitCount

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def rate_limited(request, group: str, email: str = "", *, per_ip: str = "") -> bool:
    """Count this attempt; True once the visitor's address or the email used is over its rate.

    per_ip: the visitor address's rate, e.g. "30/m"; the co-sign forms' by default.
    """
    counts = []
    address = visitor_address(request)
    if address is None:
        logger.error(
            "No visitor address in %s: %s attempts are limited per email address only. "
            "Set RATELIMIT_IP_META_KEY to the header the reverse proxy puts it in.",
            settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR",
            group,
        )
    else:
        counts.append((f"{group}:ip", address, per_ip or settings.COSIGN_RATE_PER_IP))
    if email := email.strip().lower():
        counts.append((f"{group}:email", email, settings.COSIGN_RATE_PER_EMAIL))
    limited, in_database = False, []
    for name, value, rate in counts:
        usage = get_usage(
            request, group=name, key=lambda _group, _request: value, rate=rate, increment=True
        )
        # None: the cache failed (RATELIMIT_FAIL_OPEN), or Redis is paused (core.breaker).
        if usage is None:
            in_database.append(name)
            limit, period = rate.split("/")
            limited |= _database_count(name, value, PERIODS[period]) > int(limit)
        else:
            limited |= usage["should_limit"]
    if in_database:
        logger.warning(
            "The cache does not answer: rate limits %s counted in the database",
            " and ".join(in_database),
        )
    return limited


def _database_count(group: str, value: str, seconds: int) -> int:
    """This attempt counted in the current window of the given length; the count so far."""
    window = int(time.time() // seconds)
    key = hashlib.sha256(f"{group}\n{seconds}\n{window}\n{value}".encode()).hexdigest()
    ends = datetime.fromtimestamp((window + 1) * seconds, tz=UTC)
    with transaction.atomic():
        RateLimitCount.objects.filter(expires_at__lte=timezone.now()).delete()
        RateLimitCount.objects.get_or_create(key=key, defaults={"expires_at": ends})
        # The update locks the row: simultaneous attempts are counted one after the other.
        RateLimitCount.objects.filter(key=key).update(count=F("count") + 1)
        return RateLimitCount.objects.get(key=key).count
