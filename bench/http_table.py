"""
The API over HTTP, as `bin/serve` ships it, against a bare Django app serving the same bytes.

    .venv/bin/python bench/http_table.py [--duration 5] [--rounds 2] [--skip-load]

Fills a PostgreSQL database (its name must contain "bench": it is dropped and made again)
with 1,000 published articles, the shape bench/api_throughput.py creates, and starts three
servers, each with `bin/serve` on a loopback port: the project as shipped (production
settings, generated secrets, Redis as the shared cache), the project with its server cache
off (`CACHE_DISABLED=1`, Django's DummyCache), and bench/bare_django.py, Django's default
project answering every address with the bytes the project gave for it. The reference rows'
servers are that bare app behind Django's own per-site cache, in Redis and in each process's
memory: what the framework's cache achieves on a warm hit, against the same bare app. Then,
for each row, `wrk -t2 -c16 -d<duration>s` after a warm-up, project and bare taking turns,
for --rounds rounds; prints the median throughputs, their ratio and the latencies. See
bench/README.md.

Not a test: it never fails on a figure, it reports. wrk is a Debian package (apt-get install
wrk); nothing in CI runs this.
"""

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import api_throughput
from cryptography.fernet import Fernet

SEARCH = "/api/v1/search/?q=ketamine+receptor"
SUGGEST = "/api/v1/search/suggest/?q=ket"
REPEATS_AFTER_REPLACEMENT = 2


@dataclass
class Row:
    """One line of the table: a request made to a project server and to the bare app."""

    name: str
    server: str  # "shipped", "uncached", or a reference: "site cache" (in memory)
    path: str
    conditional: bool = False  # send the ETag the shipped server gave: a 304
    headers: dict = field(default_factory=dict)
    project: list = field(default_factory=list)  # one wrk result per round
    bare: list = field(default_factory=list)
    repeated: int = 0  # runs measured again: a worker was replaced during them


def rows_for(detail):
    article = f"/api/v1/articles/{detail}/"
    return [
        Row("article list, server cache off (DummyCache)", "uncached", "/api/v1/articles/"),
        Row("article detail, server cache off", "uncached", article),
        Row("article list, as shipped (warm cache)", "shipped", "/api/v1/articles/"),
        Row("article detail, as shipped (warm cache)", "shipped", article),
        Row(
            "reference: article list, Django's site cache (warm)", "site cache", "/api/v1/articles/"
        ),
        Row("reference: article detail, Django's site cache (warm)", "site cache", article),
        Row(
            "reference: article list, Django's site cache in memory (warm)",
            "site cache in memory",
            "/api/v1/articles/",
        ),
        Row(
            "article list, `If-None-Match` → 304 (bare: a 304)",
            "shipped",
            "/api/v1/articles/",
            True,
        ),
        Row("article detail, `If-None-Match` → 304 (bare: a 304)", "shipped", article, True),
        Row("search `?q=ketamine+receptor`", "shipped", SEARCH),
        Row("suggest `?q=ket`", "shipped", SUGGEST),
    ]


# Servers -----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`bin/serve` on a loopback port, in a process group of its own, logging to a file."""

    def __init__(self, name, env, folder, root=ROOT):
        self.name = name
        self.root = Path(root)  # the checkout whose bin/serve is run
        self.port = free_port()
        self.log = Path(folder) / f"{name}.log"
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.process = None
        self.boot_cpu_seconds = None  # the busiest worker's, read once it first answered

    def start(self, probe_path):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 our own entry point
                [str(self.root / "bin" / "serve")],
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped; see {self.log}:\n{self.log.read_text()}")
            try:
                if self.get(probe_path)[0] == 200:
                    self.boot_cpu_seconds = max(self.workers().values())
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer in 120 s; see {self.log}")

    def get(self, path, headers=None, with_headers=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "GET", path, headers={"Accept": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            answer = (
                response.status,
                response.getheader("Content-Type"),
                response.getheader("ETag"),
                response.read(),
            )
            return (*answer, dict(response.getheaders())) if with_headers else answer
        finally:
            connection.close()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_memory_mb(self):
        """Resident memory of each gunicorn worker, in MB."""
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
        return sorted(sizes)

    def workers(self):
        """The gunicorn workers running now (the master's children): CPU seconds by pid."""
        clock = os.sysconf("SC_CLK_TCK")
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # After the command's name in parentheses: ppid is field 4, utime 14, stime 15.
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / clock
        return found

    def cpu_seconds(self):
        """CPU time used by the server's workers so far, those replaced included."""
        master = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # cutime + cstime (fields 16 and 17): the children it waited for, replaced workers.
        waited = (int(master[13]) + int(master[14])) / os.sysconf("SC_CLK_TCK")
        return waited + sum(self.workers().values())

    def command_line(self):
        """What bin/serve ran in the end (it execs gunicorn), as the process itself says."""
        arguments = Path(f"/proc/{self.process.pid}/cmdline").read_bytes().split(b"\0")
        return " ".join(argument.decode() for argument in arguments if argument)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# wrk ---------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: tuple  # (answers other than 2xx and 3xx, requests timed out after 2 s)
    requests: int = 0
    cpu_ms: float = 0.0  # CPU time of the server's workers per request
    replaced: bool = False  # a worker was replaced during the run


def wrk_measured(server, path, duration, headers):
    """Run wrk against a server; note the CPU its workers spent per request, and whether one
    of them was replaced meanwhile."""
    workers = set(server.workers())
    before = server.cpu_seconds()
    result = wrk(server.url(path), duration, headers)
    result.cpu_ms = (server.cpu_seconds() - before) * 1000 / max(result.requests, 1)
    result.replaced = set(server.workers()) != workers
    return result


def wrk(url, duration, headers):
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 fixed arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    latencies = {
        percent: float(value) * UNITS[unit]
        for percent, value, unit in re.findall(
            r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M
        )
    }
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    errors = (int(failed.group(1)) if failed else 0, int(timeouts.group(1)) if timeouts else 0)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return WrkResult(rate, latencies["50"], latencies["99"], errors, requests)


# The run -----------------------------------------------------------------------------------


def load_database(args):
    """Fill the database (kept afterwards, for --skip-load); return an article's slug."""
    database = api_throughput.PostgreSQLDatabase(args.database_url)
    api_throughput.setup_django(args.database_url)
    from django.core.management import call_command

    if not args.skip_load:
        database.create()
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        api_throughput.create_content(args.items)
        api_throughput.analyze()
        print(f"Loaded {args.items} articles in {time.monotonic() - started:.0f} s.", flush=True)
    from articles.models import Article

    slug = Article.objects.published().order_by("slug").first().slug
    from django.db import connections

    connections.close_all()
    return slug


def server_env(args, folder):
    return {
        "PATH": os.environ["PATH"],
        "PYTHON": sys.executable,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ENQUIRY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ENQUIRY_LOOKUP_KEY": secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # wrk speaks plain HTTP to the loopback, as a TLS-terminating proxy would.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        # Budgets are counted as always, with quotas no benchmark client reaches.
        "THROTTLE_ANON_RATE": "1000000000/minute",
        "THROTTLE_USER_RATE": "1000000000/minute",
        "THROTTLE_SEARCH_RATE": "1000000000/minute",
        "BENCH_BARE_FOLDER": str(folder),
        # bin/serve collects static files: into the run's folder, not the checkout, where
        # they would be served to the tests in place of the current ones.
        "DJANGO_STATIC_ROOT": str(Path(folder) / "project-static"),
    }


def flush_redis(url):
    """Empty the benchmark's Redis database, so that the run starts from cold."""
    import redis

    redis.Redis.from_url(url).flushdb()


def start_site_cache(name, cache, bare, rows, folder):
    """Start a reference server, the bare app behind Django's per-site cache in `cache`,
    checked to answer its rows from the cache, with the bare app's bytes."""
    server = Server(name, {**bare.env, "BENCH_BARE_SITE_CACHE": cache}, folder)
    server.start(rows[0].path)
    for row in rows:
        if row.server != name:
            continue
        expected = bare.get(row.path)[3]
        answers = [server.get(row.path, with_headers=True) for _ in range(5)]
        if any(answer[3] != expected for answer in answers):
            raise SystemExit(f"{row.path}: {name} does not return the bare app's bytes")
        # Made by the view each time: with two workers, five answers repeat one if cached.
        made = [answer[4]["X-Bench-Answer"] for answer in answers]
        if len(set(made)) == len(made):
            raise SystemExit(f"{row.path}: {name} does not answer from its cache")
    return server


def machine():
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1) if found else model
    return f"{platform.node()}: {os.cpu_count()} CPUs ({model}), {platform.platform()}"


def measure(rows, servers, bare, args, etags):
    """Warm each row up, then time project and bare in turn, round after round."""
    for row in rows:
        headers = {"Accept": "application/json"}
        if row.conditional:
            headers["If-None-Match"] = etags[row.path]
        row.headers = headers
        for server in (servers[row.server], bare):
            wrk(server.url(row.path), args.warmup, headers)
    for number in range(args.rounds):
        for row in rows:
            # Alternate which goes first, so that neither always follows the other.
            order = [("project", servers[row.server]), ("bare", bare)]
            if number % 2:
                order.reverse()
            for side, server in order:
                # A worker replaced after its --max-requests boots the project again during
                # the run, and starts with empty caches: that run is measured again.
                for _attempt in range(1 + REPEATS_AFTER_REPLACEMENT):
                    result = wrk_measured(server, row.path, args.duration, row.headers)
                    if not result.replaced:
                        break
                    row.repeated += 1
                getattr(row, side).append(result)
        print(f"Round {number + 1} of {args.rounds} done.", file=sys.stderr, flush=True)


def median(results, attribute):
    return statistics.median(getattr(result, attribute) for result in results)


def report(rows, servers, bare, args):
    print(
        f"\n{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {machine()}.\n"
        f"PostgreSQL, {args.items} published articles, Redis cache; bin/serve as shipped: "
        f"`{servers['shipped'].command_line()}` (bare: the same, with bench.bare_django); "
        f"wrk -t2 -c16 -d{args.duration}s after a {args.warmup} s warm-up, "
        f"{args.rounds} alternating rounds, medians.\n"
    )
    print(
        "| path | project req/s | bare req/s | ratio | project p50 / p99 ms | bare p50 / p99 ms "
        "| CPU ms a request, project / bare | CPU ratio |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        project, floor = (
            median(row.project, "requests_per_second"),
            median(row.bare, "requests_per_second"),
        )
        failed = sum(result.errors[0] for result in row.project + row.bare)
        timeouts = sum(result.errors[1] for result in row.project + row.bare)
        replaced = sum(result.replaced for result in row.project + row.bare)
        note = "".join(
            f" ({what}: {count})"
            for count, what in (
                (failed, "non-2xx/3xx"),
                (timeouts, "timed out"),
                (row.repeated, "runs repeated, a worker replaced"),
                (replaced, "kept runs with a worker replaced"),
            )
            if count
        )
        print(
            f"| {row.name}{note} | {project:,.0f} | {floor:,.0f} | {project / floor:.2f} | "
            f"{median(row.project, 'p50_ms'):.1f} / {median(row.project, 'p99_ms'):.1f} | "
            f"{median(row.bare, 'p50_ms'):.1f} / {median(row.bare, 'p99_ms'):.1f} | "
            f"{median(row.project, 'cpu_ms'):.2f} / {median(row.bare, 'cpu_ms'):.2f} | "
            f"{median(row.bare, 'cpu_ms') / median(row.project, 'cpu_ms'):.2f} |"
        )
    memory = ", ".join(
        f"{name} {' / '.join(f'{size:.0f}' for size in server.worker_memory_mb())} MB"
        for name, server in (*servers.items(), ("bare", bare))
    )
    print(f"\nResident memory per worker after the run: {memory}.")
    boots = ", ".join(
        f"{name} {server.boot_cpu_seconds:.1f} s"
        for name, server in (*servers.items(), ("bare", bare))
    )
    print(f"CPU of a worker's boot (a replaced worker costs it again): {boots}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/ketamine_http_bench",
        help="the PostgreSQL database to drop, create and fill (its name must contain 'bench')",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="the Redis database the shipped server caches in; emptied first",
    )
    parser.add_argument("--items", type=int, default=1000, help="published articles (1000)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run (5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per row (2)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds (2)")
    parser.add_argument(
        "--skip-load", action="store_true", help="reuse the database the last run filled"
    )
    parser.add_argument("--only", help="measure only the rows whose name contains this text")
    args = parser.parse_args()

    slug = load_database(args)
    flush_redis(args.redis_url)
    rows = [row for row in rows_for(slug) if not args.only or args.only in row.name]
    with tempfile.TemporaryDirectory(prefix="ketamine-http-bench-") as folder:
        env = server_env(args, folder)
        servers = {
            "shipped": Server("shipped", env, folder),
            "uncached": Server("uncached", {**env, "CACHE_DISABLED": "1"}, folder),
        }
        answers_file = Path(folder) / "answers.json"
        bare = Server(
            "bare",
            {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.bare_django",
                "BENCH_BARE_ANSWERS": str(answers_file),
            },
            folder,
        )
        try:
            # One at a time: each runs migrate and collectstatic first.
            for server in servers.values():
                server.start("/healthz")
            answers, etags = {}, {}
            for row in rows:
                status, content_type, etag, body = servers["shipped"].get(row.path)
                if status != 200:
                    raise SystemExit(f"{row.path}: expected 200, got {status}")
                answers[row.path] = (content_type, base64.b64encode(body).decode())
                etags[row.path] = etag
                if (
                    row.conditional
                    and servers["shipped"].get(row.path, {"If-None-Match": etag})[0] != 304
                ):
                    raise SystemExit(f"{row.path}: its ETag does not give a 304")
            answers_file.write_text(json.dumps(answers))
            bare.start(rows[0].path)
            for row in rows:
                if bare.get(row.path)[3] != base64.b64decode(answers[row.path][1]):
                    raise SystemExit(f"{row.path}: the bare app does not return the same bytes")
            for name, cache in (("site cache", args.redis_url), ("site cache in memory", "memory")):
                if any(row.server == name for row in rows):
                    servers[name] = start_site_cache(name, cache, bare, rows, folder)
            measure(rows, servers, bare, args, etags)
            report(rows, servers, bare, args)
        finally:
            for server in (*servers.values(), bare):
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
