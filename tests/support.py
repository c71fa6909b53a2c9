"""Helpers shared by the tests that wait on a real worker, server or browser."""

import re
import time
from collections.abc import Callable

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
    """The one link containing path_part in the (last) sent email's text body."""
    message = message or mail.outbox[-1]
    found = [link for link in links_in(message.body) if path_part in link]
    assert len(found) == 1, found
    return found[0]
