"""Helpers shared by the tests that wait on a real worker, server or browser, or read
what a page or an email holds."""

import re
import socket
import time
from collections.abc import Callable
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

from aiosmtpd.controller import Controller
from django.core import mail


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    """Poll until the condition holds; False if it never did within the time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def link_in_mail(path_part: str, message=None) -> str:
    """The one link containing path_part in the (last) sent email's text body, leaving
    out the same link to the text in another language (?language=)."""
    message = message or mail.outbox[-1]
    found = [
        link for link in links_in(message.body) if path_part in link and "?language=" not in link
    ]
    assert len(found) == 1, found
    return found[0]


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and "name" in attrs and kind not in {"submit", "button", "file"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append(
                    (
                        attrs["name"],
                        attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""),
                    )
                )
        elif tag == "select" and "name" in attrs:
            self.select, self.options = attrs["name"], []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and "name" in attrs:
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected] or [
                value for value, _ in self.options[:1]
            ]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser posts from the page's form of that id, as it was rendered."""
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.fields


class Recorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()


def redis_cache(url: str) -> dict:
    """The CACHES setting of production (config/settings.py) for a Redis at url."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "core.breaker.PausingRedis",
            },
        }
    }


# Celery's broker options of production, for a Redis at url.
def redis_broker(url: str) -> dict:
    return {
        "broker_url": url,
        "broker_transport_options": {
            "socket_connect_timeout": 0.25,
            "socket_timeout": 1,
            "max_retries": 0,
        },
        "broker_connection_timeout": 1,
        "task_publish_retry": False,
    }


class HungServer:
    """A port that takes connections and never answers, like a Redis that hangs.

    Nothing accepts them: the kernel completes each connection and keeps what the
    client sends, and connections() counts them when the test asks.
    """

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.listener.setblocking(False)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.accepted: list[socket.socket] = []

    def connections(self) -> int:
        """How many connections clients have made so far."""
        while True:
            try:
                self.accepted.append(self.listener.accept()[0])
            except BlockingIOError:
                return len(self.accepted)

    def close(self) -> None:
        for held in self.accepted:
            held.close()
        self.listener.close()


@contextmanager
def hung_server():
    server = HungServer()
    try:
        yield server
    finally:
        server.close()
