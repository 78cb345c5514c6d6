"""
Load test: a realistic mix of requests against the app deployed as in production.

The traffic is bench/locustfile.py, driven by Locust. Starts its own deployment unless given
--url: a fresh PostgreSQL database (its name must
contain "bench"), the demo content, Redis database 5 as the shared cache, and gunicorn with
--workers processes on a free port. Then --concurrency clients, each with a keep-alive
connection, send for --duration seconds (weights of the locustfile's tasks):

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
import csv
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


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
        "ENQUIRY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ENQUIRY_LOOKUP_KEY": secrets.token_urlsafe(32),
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an existing deployment; otherwise one is started")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ketamine_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    args = parser.parse_args()

    server = None
    url = args.url
    if url is None:
        server, url = start_deployment(args)
    try:
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            subprocess.run(  # noqa: S603 - our own fixed command line
                [
                    str(Path(sys.executable).with_name("locust")),
                    "--locustfile",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--host",
                    url,
                    "--users",
                    str(args.concurrency),
                    "--spawn-rate",
                    str(args.concurrency),
                    "--run-time",
                    f"{args.duration}s",
                    "--csv",
                    str(prefix),
                ],
                check=False,
            )
            with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
                rows = list(csv.DictReader(stats))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    report(rows, args, server is not None)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return 1 if int(total["Failure Count"]) else 0


def report(rows, args, started_here):
    workers = args.workers if started_here else "?"
    print(
        f"\nLocust, {args.concurrency} clients for {args.duration} s against gunicorn "
        f"({workers} workers):\n"
    )
    print("| requests | count | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        if row["Name"].startswith("setup"):
            continue
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.0f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )


if __name__ == "__main__":
    sys.exit(main())
