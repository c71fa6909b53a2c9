"""bench/page_speed.py reads what wrk measured, whatever the numbers: real wrk (Debian's
package, which `make test` installs) loads a small server in a thread of this process."""

import argparse
import importlib
import shutil
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def page_speed(monkeypatch):
    if not shutil.which("wrk"):
        pytest.fail("wrk is missing: apt-get install wrk (make test installs it)", pytrace=False)
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("page_speed")


@contextmanager
def server(*, status: int = 200, seconds: float = 0):
    """An HTTP server answering every GET with status after the given time, and its URL."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(seconds)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def load(duration: int) -> argparse.Namespace:
    return argparse.Namespace(connections=2, duration=duration, gzip=False)


def test_it_reads_latencies_of_a_second_and_more(page_speed):
    # wrk's report prints these as "1.05s " (with a space), which the bench once failed to read.
    with server(seconds=1.05) as url:
        rate, latency = page_speed.wrk(url, load(duration=3))
    assert rate > 0
    assert set(latency) == {"50", "90", "99"}
    assert all(ms >= 1050 for ms in latency.values())


def test_it_stops_when_the_page_answers_errors(page_speed):
    with server(status=500) as url, pytest.raises(SystemExit, match="answered errors under load"):
        page_speed.wrk(url, load(duration=1))


def test_it_takes_the_run_with_the_median_rate_whatever_the_latencies(page_speed):
    slow, fast = {"50": 9.0, "90": 9.0, "99": 9.0}, {"50": 1.0, "90": 1.0, "99": 1.0}
    # Two equal rates: the latencies, dicts, are never compared.
    assert page_speed.median_run([(300.0, slow), (100.0, fast), (300.0, fast)])[0] == 300.0
    assert page_speed.median_run([(300.0, slow), (100.0, fast), (200.0, fast)]) == (200.0, fast)
    # An even number of runs: the higher of the two middle ones, as median_high took.
    assert page_speed.median_run([(4.0, slow), (1.0, fast), (3.0, fast), (2.0, slow)]) == (
        3.0,
        fast,
    )
