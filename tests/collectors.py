"""A loopback HTTP server that keeps what is posted to it: stands in for a collector or Sentry."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Collector:
    def __init__(self):
        self.received = []  # (path, headers, body) of each POST
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                collector.received.append((self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, path, seconds=15):
        """Return the bodies posted to `path`, once there is one, within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            bodies = [body for posted, _, body in self.received if posted == path]
            if bodies:
                return bodies
            time.sleep(0.1)
        raise TimeoutError(f"nothing posted to {path} within {seconds} s: {self.received!r}")
