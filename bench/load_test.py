"""
Load test: a realistic mix of requests against the app deployed as in production.

Starts its own deployment unless given --url: a fresh PostgreSQL database (its name must
contain "bench"), the demo content, Redis database 5 as the shared cache, and gunicorn with
--workers processes on a free port. Then --concurrency clients, each with a keep-alive
connection, send for --duration seconds:

    30%  lists (every content type and taxonomy, varied page sizes and filters)
    25%  details of published items
    20%  conditional requests: a list or detail again with the ETag got before (304)
    12%  searches
     5%  search suggestions (as typed)
     8%  sync (a first page, then the next with the cursor)

and reports throughput, p50/p95/p99 latency and the count of errors (any 5xx, any status the
request did not expect, any connection failure). Budgets are raised for the run: every
client comes from 127.0.0.1.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LISTS = [
    "/api/v1/articles/",
    "/api/v1/articles/?page_size=50",
    "/api/v1/articles/?condition=depression",
    "/api/v1/faqs/",
    "/api/v1/faqs/?topic=safety&fields=slug,question",
    "/api/v1/research/",
    "/api/v1/research/?ordering=-year&page_size=10",
    "/api/v1/conditions/",
    "/api/v1/topics/",
]
SEARCHES = [
    "how fast does ketamine work",
    "ptsd",
    "nmda receptor",
    "side effects",
    "esketamine spravato",
    "depresion",
    "bdnf",
    "chronic pain infusion",
]
PREFIXES = ["ket", "dep", "saf", "nmd", "inf"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_deployment(args):
    if "bench" not in args.database_url.rsplit("/", 1)[-1]:
        sys.exit("The database name must contain 'bench': it is dropped and created again.")
    base, name = args.database_url.rsplit("/", 1)
    subprocess.run(  # noqa: S603 fixed arguments
        [  # noqa: S607 psql from PATH
            "psql",
            "-q",
            f"{base}/postgres",
            "-c",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "THROTTLE_ANON_RATE": "100000000/minute",
        "THROTTLE_USER_RATE": "100000000/minute",
        "THROTTLE_SEARCH_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_demo_content"],
        ["rebuild_search_index"],
    ):
        subprocess.run(  # noqa: S603 our own manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 our own app
        [
            sys.executable,
            "-m",
            "gunicorn",
            "api.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


class Client(threading.Thread):
    def __init__(self, host, port, deadline, details, results, seed):
        super().__init__(daemon=True)
        self.host, self.port, self.deadline = host, port, deadline
        self.details = details
        self.results = results
        self.random = random.Random(seed)
        self.etags = {}
        self.cursor = None
        self.connection = None

    def get(self, path, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(
                    "GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})}
                )
                response = self.connection.getresponse()
                body = response.read()
                return response.status, response.headers, body
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError

    def next_request(self):
        roll = self.random.random()
        if roll < 0.30:
            return "list", self.random.choice(LISTS), None, {200}
        if roll < 0.55:
            return "detail", self.random.choice(self.details), None, {200}
        if roll < 0.75 and self.etags:
            path = self.random.choice(list(self.etags))
            return "conditional", path, {"If-None-Match": self.etags[path]}, {304}
        if roll < 0.87:
            query = urllib.parse.urlencode({"q": self.random.choice(SEARCHES)})
            return "search", f"/api/v1/search/?{query}", None, {200}
        if roll < 0.92:
            prefix = self.random.choice(PREFIXES)
            return "suggest", f"/api/v1/search/suggest/?q={prefix}", None, {200}
        if self.cursor:
            return "sync", f"/api/v1/sync/?limit=50&cursor={self.cursor}", None, {200}
        return "sync", "/api/v1/sync/?limit=50", None, {200}

    def run(self):
        while time.monotonic() < self.deadline:
            kind, path, headers, expected = self.next_request()
            started = time.perf_counter()
            try:
                status, response_headers, body = self.get(path, headers)
            except (http.client.HTTPException, OSError) as error:
                self.results.append((kind, time.perf_counter() - started, f"error: {error}"))
                continue
            elapsed = time.perf_counter() - started
            if status == 200 and "ETag" in response_headers and kind in {"list", "detail"}:
                self.etags[path] = response_headers["ETag"]
            if kind == "sync" and status == 200:
                if response_headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                page = json.loads(body)
                self.cursor = page["cursor"] if page["has_more"] else None
            self.results.append((kind, elapsed, status if status in expected else f"{status}"))


def percentile(values, fraction):
    values = sorted(values)
    return values[min(int(len(values) * fraction), len(values) - 1)]


def detail_paths(host, port):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    paths = []
    for kind in ("articles", "faqs", "research", "conditions", "topics"):
        connection.request("GET", f"/api/v1/{kind}/?page_size=100&fields=slug")
        response = connection.getresponse()
        for item in json.loads(response.read())["results"]:
            paths.append(f"/api/v1/{kind}/{item['slug']}/")
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an existing deployment; otherwise one is started")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ketamine_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--duration", type=float, default=30, help="seconds")
    args = parser.parse_args()

    server = None
    url = args.url
    if url is None:
        server, url = start_deployment(args)
    parsed = urllib.parse.urlsplit(url)
    try:
        details = detail_paths(parsed.hostname, parsed.port)
        results = []
        deadline = time.monotonic() + args.duration
        clients = [
            Client(parsed.hostname, parsed.port, deadline, details, results, seed)
            for seed in range(args.concurrency)
        ]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    errors = Counter(
        f"{kind} {outcome}" for kind, _, outcome in results if not isinstance(outcome, int)
    )
    latencies = [seconds * 1000 for _, seconds, _ in results]
    print(
        f"{len(results)} requests in {elapsed:.1f} s from {args.concurrency} clients "
        f"({args.workers if server else '?'} gunicorn workers): {len(results) / elapsed:.0f} req/s"
    )
    print(
        f"latency ms: p50 {percentile(latencies, 0.50):.1f}  p95 {percentile(latencies, 0.95):.1f}"
        f"  p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}"
    )
    print(f"{'kind':<12} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    by_kind = {}
    for kind, seconds, _ in results:
        by_kind.setdefault(kind, []).append(seconds * 1000)
    for kind, values in sorted(by_kind.items()):
        print(
            f"{kind:<12} {len(values):>7} {statistics.median(values):>8.1f} "
            f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f}"
        )
    print(f"errors: {sum(errors.values())}")
    for error, count in errors.most_common():
        print(f"  {count} x {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
