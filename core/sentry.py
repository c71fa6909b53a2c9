"""Error reports to Sentry (or a compatible service, such as GlitchTip), when
SENTRY_DSN is set, without personal data.

What send_default_pii=False leaves out (the user, their address; sentry-sdk 2.75 spells
it data_collection, send_default_pii being deprecated), and more: no cookies, no request
body (the co-sign form holds names, emails and phone numbers), no local variables of the
stack (they hold the same, and tokens), no SQL parameters. before_send then writes
[secret] for the secret of an emailed link wherever the event names it (the URL, the
Referer, an exception's message, a log line), as core/logs.py does for the logs, and
drops what a proxy says of the visitor's address.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from core.logs import redacted


def sentry_init(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float
) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            # As with send_default_pii=False: the visitor's address is left out too.
            "http_headers": {
                "request": {
                    "mode": "denylist",
                    "terms": ["forwarded", "-ip", "remote-", "via", "-user", "referer"],
                }
            },
            "http_bodies": [],
            "url_query_params": {"mode": "denylist"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
    )


def before_send(event: dict, hint: dict) -> dict:
    request = event.get("request")
    if request:
        for private in ("cookies", "data", "env"):
            request.pop(private, None)
        headers = request.get("headers") or {}
        for name in list(headers):
            if name.lower() in {"cookie", "x-forwarded-for", "x-real-ip", "authorization"}:
                del headers[name]
    event.pop("user", None)
    return _clean(event)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redacted(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value
