"""A webhook receiver on the loopback interface, and a Celery worker with beat, for tests."""

import contextlib
import http.server
import json
import logging
import tempfile
import threading
import time

from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from celery.worker import state
from standardwebhooks import Webhook

# How long a test waits for something that must happen, when the time it takes is not what
# it checks: generous, because CI runs two suites side by side on two cores. Tests of a
# promised delay pass their own timeout and assert the elapsed time.
PATIENCE = 30.0


class Receiver:
    """
    Records every POST whose Standard Webhooks signature verifies, with the official library.

    `answer` is the status it answers with; `stop()` closes the port (the receiver is down)
    and `start()` opens the same port again.
    """

    def __init__(self):
        self.secret = None
        self.received = []
        self.refused = []
        self.answer = 204
        self.headers = {}
        self.body = b""
        self.server = None
        self.port = 0
        self.start()

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers.items())
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                except Exception as error:
                    receiver.refused.append((headers, body, error))
                    self.send_response(400)
                else:
                    receiver.received.append((headers, payload))
                    self.send_response(receiver.answer)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/ketamine"

    def wait_for_events(self, count, timeout=PATIENCE):
        """Wait until `count` distinct events arrived, as a receiver that deduplicates by
        `webhook-id` sees them (deliveries are at least once: a late answer is retried);
        return their payloads in the order of their first arrival."""
        deadline = time.monotonic() + timeout
        events = {}
        while time.monotonic() < deadline:
            events = {}
            for headers, payload in list(self.received):
                events.setdefault(headers["webhook-id"], payload)
            if len(events) >= count:
                return list(events.values())
            time.sleep(0.02)
        raise AssertionError(f"{len(events)} of {count} distinct events arrived within {timeout} s")

    def wait_for(self, count, timeout=PATIENCE):
        """Wait until `count` events arrived; return them (payloads), or fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return [payload for _headers, payload in self.received]
            time.sleep(0.02)
        raise AssertionError(
            f"{len(self.received)} of {count} events arrived within {timeout} s "
            f"({len(self.refused)} refused)"
        )


WAKE_TASK = "tests.wake_worker"


@contextlib.contextmanager
def running_worker(app, beat=True):
    """A real Celery worker in a thread, and beat (the periodic relay) in another."""
    if WAKE_TASK not in app.tasks:
        app.task(name=WAKE_TASK)(_nothing)
    # The worker sets the root logger's level: keep the project's, so caplog sees warnings.
    level = logging.getLevelName(logging.getLogger().level)
    with start_worker(
        app, pool="solo", loglevel=level, perform_ping_check=False, shutdown_timeout=10
    ):
        try:
            if not beat:
                yield
                return
            with tempfile.TemporaryDirectory() as folder:
                service = EmbeddedService(app, thread=True, schedule_filename=f"{folder}/beat")
                service.start()
                try:
                    yield
                finally:
                    service.stop()
                    service.join(timeout=5)
        finally:
            _wake_to_stop(app)


def _nothing():
    pass


def _wake_to_stop(app):
    """
    Ask the worker to stop, and wake it: it looks for the request between waits for messages
    of two seconds each (celery.worker.loops), and looks once more after it, so two messages
    save it up to four idle seconds at every test's end.
    """
    state.should_terminate = 0
    for _ in range(2):
        app.send_task(WAKE_TASK)


def payload_json(payload):
    return json.dumps(payload, sort_keys=True)
