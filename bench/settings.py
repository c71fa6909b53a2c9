"""The site's settings, with bench/urls.py: what bench/page_speed.py and
bench/cosign_submit.py serve. Each response says which process answered (X-Worker-Pid),
so that a bench can warm every gunicorn worker before it measures."""

import os

from config.settings import *  # noqa: F403


def worker_pid(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response

    return middleware


ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.settings.worker_pid", *MIDDLEWARE]  # noqa: F405
