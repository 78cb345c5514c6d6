"""
Search and suggest latency over HTTP, one client, `bin/serve` as shipped, on PostgreSQL.

    .venv/bin/python bench/search_http.py                       # 1,000 then 100,000 documents
    .venv/bin/python bench/search_http.py --sizes 1000 --rounds 5
    .venv/bin/python bench/search_http.py --sizes 100000 --skip-load   # reuse the last load

Drops and creates the PostgreSQL database of --database-url (its name must contain "bench"),
migrates it (which seeds the synonym vocabulary), and fills the search index with synthetic
documents in bulk: rows inserted in batches, their word counts added once per batch, one in
ten a draft. Then starts `bin/serve` on a loopback port and sends the queries one at a time
over one keep-alive connection, round after round, timing each from the request sent to the
last byte read. Sizes grow in one database: the first 1,000 documents are measured, then the
rest are added and everything is measured again.

The server runs with its answer cache off (`CACHE_DISABLED=1`), so every request searches:
what a cache miss costs, and what every distinct query a visitor types costs. Facets,
snippets and corrections are in every answer, as they are in production.

With `--baseline DIR` (another checkout, e.g. `git worktree add /tmp/base main`), that
checkout's `bin/serve` runs beside this one on the same database, and each request is sent
to both in turn (which one first alternates by round): on a shared, noisy machine both see
the same moments, and the ratios of their percentiles are what to report.

Not a test: it never fails on a figure, it reports. See bench/README.md.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import api_throughput
import http_table

COMMON = (
    "ketamine infusion depression treatment patients brain dose effects study trial clinic "
    "symptoms receptor glutamate session weeks mood relief pain anxiety safety results"
).split()
RARE = (
    "esketamine spravato nmda bdnf synaptogenesis dissociation midazolam placebo neuropathic "
    "crps ptsd suicidal ideation antidepressant neuroplasticity hippocampus cortex relapse "
    "maintenance intranasal intravenous electroconvulsive anaesthesia hallucination tolerance "
    "blood pressure monitoring insurance driving pregnancy ketalar mtor ampa network default"
).split()
FILLER = (
    "the a of and to in is for with that on as are was by this be from at or an can may "
    "people often after before during each more most some other many these those when"
).split()
CONDITIONS = ["depression", "ptsd", "chronic-pain", "anxiety", "crps", "suicidal-ideation"]
TOPICS = ["nmda-receptor", "safety", "dosing", "esketamine", "neuroplasticity"]
TYPES = ["article", "faq", "research"]
SEARCHES = [
    {"q": "ketamine"},
    {"q": "depression"},
    {"q": "ketamine depression"},
    {"q": "how fast does ketamine work"},
    {"q": "will I hallucinate"},
    {"q": "PTSD"},
    {"q": "post traumatic stress"},
    {"q": "spravato"},
    {"q": "nmda receptor"},
    {"q": "depresion"},
    {"q": "ketamin infusion"},
    {"q": "blood pressure monitoring"},
    {"q": '"chronic pain" relief'},
    {"q": "midazolam placebo trial"},
    {"q": "neuropathic pain crps"},
    {"q": "ketamine for cats"},
    {"q": "insurance"},
    {"q": "esketamine nasal spray relapse"},
    {"q": "ketamine depression", "type": "faq,research", "condition": "depression"},
    {"q": "safety", "topic": "safety"},
]
PREFIXES = ["k", "ke", "ket", "keta", "ketamine de", "esk", "nmda r", "how", "pain", "sprav"]


def words(rng, count):
    pool = rng.choices([COMMON, RARE, FILLER], weights=[0.35, 0.08, 0.57], k=count)
    return " ".join(rng.choice(group) for group in pool)


def load(start, stop, seed=7, batch_size=2000):
    """Add documents start..stop-1 to the index, in batches, with their tags and word counts."""
    from django.utils import timezone

    from search.indexing import _count_words, vocabulary
    from search.models import Language, SearchDocument, SearchTag, SearchWord

    rng = random.Random(seed + start)
    now = timezone.now()
    for first in range(start, stop, batch_size):
        documents = []
        for n in range(first, min(first + batch_size, stop)):
            documents.append(
                SearchDocument(
                    type=TYPES[n % 3],
                    object_id=n,
                    slug=f"doc-{n}",
                    title=words(rng, rng.randint(5, 10)).capitalize(),
                    summary=words(rng, rng.randint(15, 30)),
                    tags=" ".join(rng.sample(CONDITIONS, rng.randint(0, 2))),
                    body=words(rng, rng.randint(120, 300)),
                    # One in ten is a draft: it must cost nothing.
                    status="draft" if n % 10 == 9 else "published",
                    published_at=now,
                )
            )
        created = SearchDocument.objects.bulk_create(documents)
        SearchTag.objects.bulk_create(
            [
                SearchTag(document=document, facet=SearchTag.Facet.CONDITION, slug=slug, name=slug)
                for document in created
                for slug in document.tags.split()
            ]
            + [
                SearchTag(document=document, facet=SearchTag.Facet.TOPIC, slug=topic, name=topic)
                for document in created
                for topic in rng.sample(TOPICS, rng.randint(0, 2))
            ]
        )
        # Counted by (language, word), as the index counts them: all of these are English.
        english = Language.ENGLISH
        counts = Counter({(english, SearchWord.TOTAL): len(created)})
        for document in created:
            words_of = vocabulary(document.title, document.summary, document.tags, document.body)
            counts.update((english, word) for word in words_of)
        _count_words(counts)
        print(f"  loaded {first + len(documents):,}", end="\r", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum soon would: statistics for the planner, and the GIN indexes' pending
        # lists merged (a scan reads the whole list until then).
        for table in ("search_searchdocument", "search_searchtag", "search_searchword"):
            cursor.execute(f"VACUUM ANALYZE {table}")


class OneClient:
    """One keep-alive connection, one request at a time, as a single visitor's browser."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path, params):
        started = time.perf_counter()
        self.connection.request(
            "GET", f"{path}?{urlencode(params)}", headers={"Accept": "application/json"}
        )
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{path} {params}: {response.status} {body[:300]!r}")
        return elapsed, json.loads(body)


def percentile(samples, percent):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def measure(clients, rounds):
    """
    Time every search and suggestion `rounds` times, in turns, on each of `clients` (a dict
    by server name) one after the other; return samples by server and path, and the slowest.
    """
    samples = {name: {"search": [], "suggest": [], "floor: /healthz": []} for name in clients}
    slowest = Counter()
    for client in clients.values():
        for params in SEARCHES:  # warm up: connections, caches of the vocabulary
            client.get("/api/v1/search/", params)
    for turn in range(rounds):
        # Each server goes first in every other round: neither always follows the other.
        order = list(clients.items())[:: 1 if turn % 2 == 0 else -1]
        for params in SEARCHES:
            for name, client in order:
                elapsed, _ = client.get("/api/v1/search/", params)
                samples[name]["search"].append(elapsed)
                key = json.dumps(params) + (f" ({name})" if len(clients) > 1 else "")
                slowest[key] = max(slowest[key], elapsed)
        for prefix in PREFIXES:
            for name, client in order:
                got = client.get("/api/v1/search/suggest/", {"q": prefix})[0]
                samples[name]["suggest"].append(got)
                # What any request costs on this machine now: a view that reads nothing.
                samples[name]["floor: /healthz"].append(client.get("/healthz", {})[0])
    return samples, slowest.most_common(3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/ketamine_search_bench",
        help="the PostgreSQL database to drop, create and fill (its name must contain 'bench')",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--sizes", default="1000,100000", help="document counts, ascending (1000,100000)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="passes over the queries (5)")
    parser.add_argument("--skip-load", action="store_true", help="measure the database as is")
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="another checkout whose bin/serve is measured beside this one, request by request",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    database = api_throughput.PostgreSQLDatabase(args.database_url)
    if not args.skip_load:
        database.create()
    api_throughput.setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connections

    from search.models import SearchDocument

    call_command("migrate", verbosity=0)
    table = []
    with tempfile.TemporaryDirectory(prefix="ketamine-search-bench-") as folder:
        env = {
            **http_table.server_env(args, folder),
            "CACHE_DISABLED": "1",
            # What production requires of the environment, made for the run.
            "ENQUIRY_ENCRYPTION_KEYS": os.environ["ENQUIRY_ENCRYPTION_KEYS"],
            "ENQUIRY_LOOKUP_KEY": os.environ["ENQUIRY_LOOKUP_KEY"],
        }
        servers = {"this": http_table.Server("search", env, folder)}
        if args.baseline:
            # Its own static files: each checkout collects its own.
            baseline_env = {**env, "DJANGO_STATIC_ROOT": str(Path(folder) / "baseline-static")}
            servers = {
                "baseline": http_table.Server(
                    "baseline", baseline_env, folder, root=Path(args.baseline).resolve()
                ),
                **servers,
            }
        try:
            for server in servers.values():
                server.start("/healthz")
            loaded = SearchDocument.objects.count()
            for size in sizes:
                if not args.skip_load and loaded < size:
                    started = time.monotonic()
                    load(loaded, size)
                    print(
                        f"Loaded documents {loaded:,} to {size:,} "
                        f"in {time.monotonic() - started:.0f} s.",
                        file=sys.stderr,
                    )
                    loaded = size
                connections.close_all()
                clients = {name: OneClient(server.port) for name, server in servers.items()}
                load_before = os.getloadavg()[0]
                samples, slowest = measure(clients, args.rounds)
                loads = (load_before, os.getloadavg()[0])
                table.append((loaded, samples, slowest, loads))
        finally:
            for server in servers.values():
                server.stop()
    print(
        f"\n{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {http_table.machine()}.\n"
        f"PostgreSQL; `bin/serve` with CACHE_DISABLED=1; one client, one keep-alive "
        f"connection; {args.rounds} rounds of {len(SEARCHES)} searches and "
        f"{len(PREFIXES)} suggestions"
        + (f", each sent to {args.baseline} and to this checkout in turn" if args.baseline else "")
        + ".\n"
    )
    if args.baseline:
        print_comparison(table)
    else:
        print_table(table)
    for documents, _, slowest, _ in table:
        print(
            f"\nSlowest searches at {documents:,}: "
            + "; ".join(f"{params} {ms:.0f} ms" for params, ms in slowest)
        )
    return 0


def aim(documents, path):
    return {"search": 20 if documents <= 1000 else 50, "suggest": 10}.get(path)


def verdict(documents, path, p95):
    """The aim of issue #12 for this p95, and whether it is met; empty for a path without one."""
    target = aim(documents, path)
    return f"≤ {target} {'met' if p95 <= target else 'NOT met'}" if target else ""


def print_table(table):
    print("| documents | path | n | p50 ms | p95 ms | p99 ms | aim (p95) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for documents, samples, _, _ in table:
        for path, values in samples["this"].items():
            p95 = percentile(values, 95)
            print(
                f"| {documents:,} | {path} | {len(values)} | {statistics.median(values):.1f} | "
                f"{p95:.1f} | {percentile(values, 99):.1f} | {verdict(documents, path, p95)} |"
            )


def print_comparison(table):
    print(
        "| documents | path | n | p50 baseline | p95 baseline | p50 this | p95 this "
        "| p50 ratio | p95 ratio | load average | aim (p95) |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for documents, samples, _, loads in table:
        for path, values in samples["this"].items():
            base = samples["baseline"][path]
            p95 = percentile(values, 95)
            print(
                f"| {documents:,} | {path} | {len(values)} | {statistics.median(base):.1f} | "
                f"{percentile(base, 95):.1f} | {statistics.median(values):.1f} | {p95:.1f} | "
                f"x{statistics.median(values) / statistics.median(base):.2f} | "
                f"x{p95 / percentile(base, 95):.2f} | {loads[0]:.1f} to {loads[1]:.1f} | "
                f"{verdict(documents, path, p95)} |"
            )


if __name__ == "__main__":
    sys.exit(main())
