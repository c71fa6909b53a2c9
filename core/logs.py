"""Log lines without the secrets of emailed links.

An emailed link carries its secret in its path (/signatures/confirm/<token>/ …). Django logs
the path of every 4xx answer, the development server and gunicorn's access log the request
line of every request, and the access log also the Referer of what the page loads, which
names it again. The raw token must exist only in the email: RedactSecrets, on the handlers
of config/settings.py's LOGGING and on gunicorn's loggers (gunicorn.conf.py), writes
[secret] in its place.
"""

import logging
import re

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# The paths whose next part is an emailed secret. tests/core/test_logs.py checks that
# every route taking a token or a key is here.
SECRET_PATHS = (
    "signatures/confirm",
    "signatures/withdraw",
    "signoff",
    "press/unsubscribe",
    "press/preview",
    "cosign",
    "follow/confirm",
    "follow/unsubscribe",
)
_SECRET = re.compile("(/(?:" + "|".join(map(re.escape, SECRET_PATHS)) + r")/)[^/?#\s\"']+")


def redacted(text: str) -> str:
    return _SECRET.sub(r"\1[secret]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            # Formatted here, once, as the handler's formatter would, to be cleaned too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redacted(record.exc_text)
        return True


class QuietHealthChecks(logging.Filter):
    """Drops Django's line for a 503 of /health/ready/ (core/health.py), which it logs as
    an error, as every 5xx: a load balancer asks every few seconds, the answer says what
    is wrong, and an error there would also be a Sentry event each time. On the
    django.request logger, so that no handler (Sentry's included) sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not (request is not None and request.path.startswith("/health/"))


class JsonLines(JsonFormatter):
    """One JSON object a line (LOG_FORMAT=json): the fields the format names, and what a
    record carries besides, except the request object Django attaches (its text holds the
    path, secret included), each text without the secrets of emailed links."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        return {
            key: redacted(value) if isinstance(value, str) else value
            for key, value in log_data.items()
        }


def json_lines() -> JsonLines:
    """The formatter of LOG_FORMAT=json, for LOGGING (config/settings.py) and gunicorn's
    own logs (gunicorn.conf.py)."""
    return JsonLines(
        "{asctime}{levelname}{name}{message}{request_id}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
