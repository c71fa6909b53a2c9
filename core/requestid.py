"""A request id on every log line of a request, and of the tasks it queues.

RequestIdMiddleware takes the proxy's X-Request-ID when it looks like one (so that the
proxy's log and ours share it), else makes one, keeps it in a context variable for
the request and answers it in the X-Request-ID header. RequestIdFilter puts it on each
log record. Celery carries it in the headers of each task the request queues
(task_published), and the worker puts it back while the task runs (task_started,
task_finished): config/celery.py connects them.
"""

import logging
import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")

HEADER = "X-Request-ID"
# Letters, digits and - _ . : (a UUID, a proxy's hex id, a trace id), 8 to 64 of them;
# anything else (spaces, quotes, a line break to forge a log line) is replaced.
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def request_id_from(value: str | None) -> str:
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(request_id_from(request.headers.get(HEADER)))
        try:
            request.id = request_id.get()
            response = self.get_response(request)
            response[HEADER] = request.id
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds request_id to every record: the request's or the task's, else empty."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx or 5xx answer after the middleware has returned it, with the
        # request on the record.
        record.request_id = request_id.get() or getattr(getattr(record, "request", None), "id", "")
        return True


def task_published(headers=None, **kwargs) -> None:
    """before_task_publish: the task goes with the id of the request queuing it."""
    if headers is not None and (current := request_id.get()):
        headers.setdefault("request_id", current)


_task_tokens: dict[str, object] = {}


def task_started(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the id it was queued with."""
    queued_with = getattr(task.request, "request_id", None) if task is not None else None
    # A task run where it is queued (eager, in tests) keeps the request's.
    _task_tokens[task_id] = request_id.set(queued_with or request_id.get())


def task_finished(task_id=None, **kwargs) -> None:
    """task_postrun: the next task on this worker starts without it."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
