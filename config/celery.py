import logging.config
import os

from celery import Celery, signals
from django.conf import settings

from core import requestid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jointly")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id follows a request into the tasks it queues (core/requestid.py).
signals.before_task_publish.connect(requestid.task_published, weak=False)
signals.task_prerun.connect(requestid.task_started, weak=False)
signals.task_postrun.connect(requestid.task_finished, weak=False)


def _django_logging(**kwargs):
    logging.config.dictConfig(settings.LOGGING)
    # Warnings, and the pool's own logger (billiard's, which does not propagate), print
    # through the same handler instead of as bare text.
    logging.captureWarnings(True)
    logging.getLogger("multiprocessing").handlers = logging.getLogger().handlers


# With LOG_FORMAT=json the worker and beat log as Django's LOGGING says (one JSON object
# a line, with the request id), instead of Celery's own lines: connecting setup_logging
# is how Celery is told to leave logging alone. Plain text keeps Celery's lines. (Read
# from the environment: this module is imported with the config package, before the
# settings are; config/settings.py refuses any other value.)
if os.environ.get("LOG_FORMAT") == "json":
    signals.setup_logging.connect(_django_logging, weak=False)
