"""A task for tests/config/test_celery_realstack.py's real workers (celery worker -I)."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task
def hold(folder: str) -> None:
    """Notes which process started it, waits for the release file, notes its finish."""
    path = Path(folder)
    (path / f"started-{os.getpid()}").touch()
    while not (path / "release").exists():
        time.sleep(0.05)
    (path / f"finished-{os.getpid()}").touch()


@shared_task
def fail(path: str) -> None:
    raise RuntimeError(f"failed at {path}")
