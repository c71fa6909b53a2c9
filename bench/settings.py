"""The site's settings, with bench/urls.py: what bench/page_speed.py serves."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
