"""
Throughput of the article endpoints, as a ratio to a bare Django view serving the same bytes.

    .venv/bin/python bench/api_throughput.py [--database-url URL] [--requests N] [--items N]
    .venv/bin/python bench/api_throughput.py --metrics   # the cost of recording metrics

The benchmark builds its own throwaway database (a SQLite file in a temporary folder, or the
PostgreSQL database named by --database-url, which it creates and drops), fills it with
realistic content through the project's models, and calls Django's WSGI handler in-process:
no sockets and no test client, so what is measured is the middleware, the view and the
database. Each API scenario is paired with a bare view that returns the exact bytes the API
returned; the scenarios take turns in short rounds so that a noisy machine slows them alike,
and the ratio of their throughputs is what to compare between runs and machines.

With --metrics, each warm scenario is timed instead with the Prometheus metrics off and on
(METRICS_TOKEN unset and set, values written to files as under gunicorn), in alternating
rounds, and the table gives the cost of recording them.

Not a test: it never fails, it reports. See bench/README.md for how to read the table.
"""

import argparse
import gc
import io
import os
import platform
import random
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_SQLITE_NAME = "bench.sqlite3"


# Scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    """One kind of request, timed against a bare view that answers with the same bytes."""

    name: str
    path: str
    query_string: str = ""
    headers: dict = field(default_factory=dict)  # WSGI names, e.g. {"HTTP_IF_NONE_MATCH": ...}
    expected_status: int = 200
    target: float | None = None  # the least acceptable throughput ratio to the bare view
    # Called before each timed request, outside the timing (e.g. to empty a cache).
    before_request: object = None


def article_scenarios(detail_slug):
    """The scenarios this benchmark reports: uncached, from the warm answer cache, and 304s."""
    from django.core.cache import cache

    paths = {"list": "/api/v1/articles/", "detail": f"/api/v1/articles/{detail_slug}/"}
    # Issue #12's aims, as fractions of the bare view's throughput.
    uncached_targets = {"list": 0.25, "detail": 0.30}
    scenarios = []
    for kind, path in paths.items():
        scenarios += [
            # Emptying the cache before each request times an answer made without it: from the
            # items' stored representations (representations/), as after any change.
            Scenario(
                f"article {kind}, uncached",
                path,
                target=uncached_targets[kind],
                before_request=cache.clear,
            ),
            Scenario(f"article {kind}, cache warm", path, target=0.80),
            Scenario(
                f"article {kind}, 304",
                path,
                headers={"HTTP_IF_NONE_MATCH": current_etag(path)},
                expected_status=304,
                target=0.90,
            ),
        ]
    return scenarios


def current_etag(path):
    """The validator a client holds after fetching `path` as the benchmark's client does."""
    from django.test import Client as TestClient

    return TestClient().get(path, HTTP_ACCEPT="application/json")["ETag"]


# The bare baseline -------------------------------------------------------------------------

# Bytes each bare route answers with, keyed by the scenario's slug; filled before timing.
BARE_BODIES = {}


def bare_view(request, name):
    """Answer with bytes prepared in advance: Django's floor for a JSON response."""
    from django.http import HttpResponse

    status, body = BARE_BODIES[name]
    return HttpResponse(body, status=status, content_type="application/json")


# The bench process's ROOT_URLCONF: the bare routes beside all of the project's URLs. Filled by
# setup_django(), because including api.urls imports models and needs Django set up first.
urlpatterns = []


def setup_django(database_url, metrics_dir=None):
    if metrics_dir:
        # As under gunicorn (gunicorn.conf.py): every value written to a file of this process.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "api.settings"
    os.environ["DATABASE_URL"] = database_url
    # Production settings: DEBUG on would record every query and slow every request.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-benchmark-only")
    os.environ.setdefault("ENQUIRY_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    os.environ.setdefault("ENQUIRY_LOOKUP_KEY", "insecure-key-for-the-benchmark-only")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    # The requests are plain HTTP, made in-process: production would redirect them to HTTPS.
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # Budgets are counted as in production, but never run out: every request comes from one
    # address, and a refused one would be timed instead of the answer.
    for scope in ("ANON", "USER", "SEARCH"):
        os.environ[f"THROTTLE_{scope}_RATE"] = "1000000/second"

    import django
    from django.conf import settings
    from django.urls import include, path

    # WhiteNoise warns that STATIC_ROOT was never collected; the benchmark serves no files.
    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    settings.ROOT_URLCONF = __name__
    urlpatterns[:] = [
        path("bench/bare/<slug:name>/", bare_view),
        path("", include("api.urls")),
    ]


# Throwaway databases -----------------------------------------------------------------------


class SQLiteDatabase:
    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="ketamine-bench-")
        self.url = f"sqlite:///{Path(self._folder.name) / DEFAULT_SQLITE_NAME}"

    def create(self):
        pass

    def drop(self):
        self._folder.cleanup()


class PostgreSQLDatabase:
    """A database the benchmark creates and drops; its name must say 'bench', to be safe."""

    def __init__(self, url):
        import dj_database_url

        self.url = url
        self.params = dj_database_url.parse(url)
        self.name = self.params["NAME"]
        if "bench" not in self.name:
            raise SystemExit(
                f"--database-url names {self.name!r}, which this benchmark would drop; "
                "name a database with 'bench' in it, e.g. .../ketamine_bench."
            )

    def _admin(self, statement):
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            dbname="postgres",
            host=self.params["HOST"] or None,
            port=self.params["PORT"] or None,
            user=self.params["USER"] or None,
            password=self.params["PASSWORD"] or None,
            autocommit=True,
        ) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def create(self):
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._admin("CREATE DATABASE {}")

    def drop(self):
        from django.db import connections

        connections.close_all()
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def throwaway_database(url):
    if url is None:
        return SQLiteDatabase()
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"--database-url must be a postgres:// URL, not {scheme}://.")
    return PostgreSQLDatabase(url)


# Content -----------------------------------------------------------------------------------

CONDITIONS = [
    ("depression", "Major depressive disorder", "F32.9"),
    ("treatment-resistant-depression", "Treatment-resistant depression", "F33.9"),
    ("ptsd", "Post-traumatic stress disorder", "F43.10"),
    ("chronic-pain", "Chronic pain", "G89.29"),
    ("anxiety", "Generalised anxiety disorder", "F41.1"),
    ("bipolar-depression", "Bipolar depression", "F31.30"),
    ("ocd", "Obsessive-compulsive disorder", "F42.2"),
    ("suicidal-ideation", "Suicidal ideation", "R45.851"),
    ("crps", "Complex regional pain syndrome", "G90.50"),
    ("fibromyalgia", "Fibromyalgia", "M79.7"),
    ("migraine", "Migraine", "G43.909"),
    ("alcohol-use-disorder", "Alcohol use disorder", "F10.20"),
]
TOPICS = [
    ("nmda-receptor", "NMDA receptor"),
    ("bdnf", "BDNF"),
    ("default-mode-network", "Default mode network"),
    ("glutamate", "Glutamate"),
    ("synaptogenesis", "Synaptogenesis"),
    ("safety", "Safety"),
    ("dosing", "Dosing"),
    ("esketamine", "Esketamine"),
    ("infusion-protocol", "Infusion protocol"),
    ("side-effects", "Side effects"),
    ("dissociation", "Dissociation"),
    ("ampa-receptor", "AMPA receptor"),
    ("mtor", "mTOR signalling"),
    ("neuroplasticity", "Neuroplasticity"),
    ("maintenance", "Maintenance treatment"),
    ("integration", "Integration therapy"),
]
SOURCE_TEXT = (
    "ketamine blocks the NMDA receptor on inhibitory interneurons which releases a burst of "
    "glutamate that activates AMPA receptors and triggers BDNF release and mTOR signalling so "
    "that new synapses form in the prefrontal cortex within hours patients often notice mood "
    "changes after one or two infusions while the dissociative effects fade within an hour "
    "clinicians monitor blood pressure heart rate and oxygen saturation throughout the session "
    "and a series of six infusions over two to three weeks is the usual starting protocol"
)
WORDS = SOURCE_TEXT.split()


def markdown_body(rng, words=600):
    """About `words` words of Markdown with headings, lists, emphasis and a link."""
    sections, written = [], 0
    while written < words:
        heading = " ".join(rng.sample(WORDS, 3)).capitalize()
        paragraphs = []
        for _ in range(rng.randint(2, 3)):
            sentence_words = rng.choices(WORDS, k=rng.randint(40, 60))
            sentence_words[3] = f"**{sentence_words[3]}**"
            sentence_words[9] = f"*{sentence_words[9]}*"
            paragraphs.append(" ".join(sentence_words).capitalize() + ".")
            written += len(sentence_words)
        items = "\n".join(f"- {' '.join(rng.sample(WORDS, 5))}" for _ in range(3))
        sub = " ".join(rng.sample(WORDS, 2)).capitalize()
        sections.append(
            f"## {heading}\n\n{paragraphs[0]}\n\n### {sub}\n\n"
            + "\n\n".join(paragraphs[1:])
            + f"\n\n{items}\n\nSee [the evidence](https://pubmed.ncbi.nlm.nih.gov/10686270/)."
        )
        written += 20
    return "\n\n".join(sections)


def create_content(items, seed=2026):
    """Create `items` published articles with 3 conditions and 3 topics each, and some others."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article
    from content.models import Status
    from taxonomy.models import Condition, SafetyNotice, Topic

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        conditions = [
            Condition.objects.create(slug=slug, name=name, icd10cm=code, description=name)
            for slug, name, code in CONDITIONS
        ]
        topics = [
            Topic.objects.create(slug=slug, name=name, description=name) for slug, name in TOPICS
        ]
        SafetyNotice.objects.create(
            slug="medical-disclaimer",
            title="Medical disclaimer",
            body="This is education, **not medical advice**. Talk to your clinician.",
            applies_everywhere=True,
        )
        crisis = SafetyNotice.objects.create(
            slug="crisis-resources",
            title="If you are in crisis",
            body="Call or text **988** in the US, or your local emergency number.",
            severity=SafetyNotice.Severity.CRITICAL,
            order=1,
        )
        crisis.conditions.set(conditions[:3] + conditions[7:8])
        mania = SafetyNotice.objects.create(
            slug="bipolar-mania",
            title="Bipolar disorder",
            body="Ketamine may rarely trigger *mania*; tell your psychiatrist.",
            severity=SafetyNotice.Severity.WARNING,
            order=2,
        )
        mania.conditions.set(conditions[5:6])

        # Drafts, entries in review and scheduled ones: present, but invisible to the API.
        hidden = [Status.DRAFT] * (items // 10) + [Status.IN_REVIEW] * (items // 20)
        statuses = [Status.PUBLISHED] * items + hidden + ["scheduled"] * (items // 20)
        condition_links, topic_links = [], []
        for number, status in enumerate(statuses):
            days_ago = rng.uniform(1, 900)
            article = Article(
                slug=f"how-ketamine-works-part-{number}",
                title=f"How ketamine works, part {number}: {' '.join(rng.sample(WORDS, 4))}",
                summary=" ".join(rng.choices(WORDS, k=30)).capitalize() + ".",
                body=markdown_body(rng),
                author="Clinic Editorial Team",
                status=Status.PUBLISHED if status == "scheduled" else status,
                published_at=now + timedelta(days=7)
                if status == "scheduled"
                else now - timedelta(days=days_ago),
                reviewer_name="Dr Ana Reviewer",
                reviewer_credentials="MD, board-certified psychiatrist",
                last_reviewed=date(2026, 1, 1) - timedelta(days=int(days_ago) // 3),
            )
            article.save()
            condition_links += [
                Article.conditions.through(article=article, condition=tag)
                for tag in rng.sample(conditions, 3)
            ]
            topic_links += [
                Article.topics.through(article=article, topic=tag) for tag in rng.sample(topics, 3)
            ]
        Article.conditions.through.objects.bulk_create(condition_links)
        Article.topics.through.objects.bulk_create(topic_links)


def analyze():
    """Give PostgreSQL's planner the statistics autovacuum would have gathered by now."""
    from django.db import connection

    # Without them it takes each fresh table for nearly empty, and may plan a join as a
    # nested loop over every row: a cost a database in service does not pay.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# Timing ------------------------------------------------------------------------------------


class Client:
    """Call the WSGI handler with a prepared environ: about as little as a server does."""

    def __init__(self, metrics=False):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import override_settings

        # The handler loads its middleware now: MetricsMiddleware only with a token.
        token = "bench-metrics-token-0123456789abcdef" if metrics else ""
        with override_settings(METRICS_TOKEN=token, METRICS_ENABLED=metrics):
            self.handler = WSGIHandler()
        self.status = None

    def environ(self, path, query_string="", headers=None):
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query_string,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_ACCEPT": "application/json",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multiprocess": False,
            "wsgi.multithread": False,
            "wsgi.run_once": False,
            **(headers or {}),
        }

    def _start_response(self, status, headers, exc_info=None):
        self.status = int(status.split(" ", 1)[0])

    def get(self, environ):
        """Make one request; return its status and body."""
        environ = {**environ, "wsgi.input": io.BytesIO()}
        response = self.handler(environ, self._start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()  # fires request_finished, as a server would
        return self.status, body


@dataclass
class Timed:
    """One row of the report: a scenario or its bare twin, and its latencies in nanoseconds."""

    label: str
    environ: dict
    scenario: Scenario
    is_bare: bool
    client: Client
    samples: list = field(default_factory=list)
    cpu_samples: list = field(default_factory=list)  # the thread's CPU time, waits left out
    queries: int = 0

    @property
    def requests_per_second(self):
        return len(self.samples) / (sum(self.samples) / 1e9)

    def percentile_ms(self, percent, samples=None):
        ordered = sorted(self.samples if samples is None else samples)
        return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))] / 1e6

    def cpu_percentile_ms(self, percent):
        return self.percentile_ms(percent, self.cpu_samples)


def prepare(client, scenarios):
    """Record each scenario's response and its query count, and pair it with a bare row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.text import slugify

    rows = []
    for scenario in scenarios:
        api = Timed(
            scenario.name,
            client.environ(scenario.path, scenario.query_string, scenario.headers),
            scenario,
            is_bare=False,
            client=client,
        )
        client.get(api.environ)  # the first call fills lazy caches; count the second
        if scenario.before_request:
            scenario.before_request()
        with CaptureQueriesContext(connection) as queries:
            status, body = client.get(api.environ)
        if status != scenario.expected_status:
            raise SystemExit(f"{scenario.name}: expected {scenario.expected_status}, got {status}")
        api.queries = len(queries)
        name = slugify(scenario.name)
        BARE_BODIES[name] = (status, body)
        bare = Timed(
            f"bare view, same bytes as {scenario.name}",
            client.environ(f"/bench/bare/{name}/"),
            scenario,
            is_bare=True,
            client=client,
        )
        if client.get(bare.environ) != (status, body):
            raise SystemExit(f"{scenario.name}: the bare view does not return the same bytes")
        rows += [bare, api]
    return rows


def run(rows, requests, rounds):
    """Time `requests` calls per row, in `rounds` interleaved rounds, after a warm-up."""
    per_round = max(1, requests // rounds)
    for row in rows:
        for _ in range(max(20, requests // 10)):
            row.client.get(row.environ)
    gc.collect()
    gc.freeze()  # what was built during setup is not the requests' garbage
    for round_number in range(rounds):
        # Every other round in reverse: no row always follows the same one.
        for row in rows if round_number % 2 == 0 else rows[::-1]:
            before = row.scenario.before_request
            for _ in range(per_round):
                if before:
                    before()
                start, cpu_start = time.perf_counter_ns(), time.thread_time_ns()
                status, _ = row.client.get(row.environ)
                row.cpu_samples.append(time.thread_time_ns() - cpu_start)
                row.samples.append(time.perf_counter_ns() - start)
                if status != row.scenario.expected_status:
                    raise SystemExit(f"{row.label}: answered {status} while timed")


# The cost of metrics -----------------------------------------------------------------------


def metrics_scenarios(detail_slug):
    """The warm paths, where a fixed cost per request weighs most: cached answers and 304s."""
    return [
        scenario
        for scenario in article_scenarios(detail_slug)
        if not scenario.name.endswith("uncached")
    ]


def metrics_rows(scenarios):
    """Pair each scenario timed with metrics off with the same timed with them on."""
    off, on = Client(metrics=False), Client(metrics=True)
    rows = []
    for scenario in scenarios:
        for client, state in ((off, "off"), (on, "on")):
            row = Timed(
                f"{scenario.name}, metrics {state}",
                client.environ(scenario.path, scenario.query_string, scenario.headers),
                scenario,
                is_bare=False,
                client=client,
            )
            status, _ = client.get(row.environ)
            if status != scenario.expected_status:
                raise SystemExit(f"{row.label}: expected {scenario.expected_status}, got {status}")
            rows.append(row)
    return rows


def metrics_report(rows, args, rounds):
    """Print each scenario with metrics off and on, and what recording them costs."""
    lines = [
        f"{header_line(rows, args, rounds)} Metrics in files (PROMETHEUS_MULTIPROC_DIR), "
        "as under gunicorn.",
        "",
        "| scenario | req/s off | req/s on | p50 ms off | p50 ms on | CPU p50 ms off "
        "| CPU p50 ms on | cost (CPU p50) | cost (p50) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for off, on in zip(rows[::2], rows[1::2], strict=True):
        cpu_cost = on.cpu_percentile_ms(50) / off.cpu_percentile_ms(50) - 1
        wall_cost = on.percentile_ms(50) / off.percentile_ms(50) - 1
        lines.append(
            f"| {off.scenario.name} | {off.requests_per_second:,.0f} | "
            f"{on.requests_per_second:,.0f} | {off.percentile_ms(50):.3f} | "
            f"{on.percentile_ms(50):.3f} | {off.cpu_percentile_ms(50):.3f} | "
            f"{on.cpu_percentile_ms(50):.3f} | {cpu_cost * 100:+.1f} % | {wall_cost * 100:+.1f} % |"
        )
    print("\n".join(lines))


def header_line(rows, args, rounds):
    import django
    import rest_framework
    from django.db import connection

    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        major, minor = divmod(connection.pg_version, 10000)
        version = f"{major}.{minor}"
    return (
        f"{connection.display_name} {version}, {args.items} published articles; "
        f"{len(rows[0].samples)} requests per row in {rounds} interleaved rounds; "
        f"Python {platform.python_version()}, Django {django.__version__}, "
        f"DRF {rest_framework.__version__}."
    )


def report(rows, args, rounds):
    bare_rate = {}
    lines = [
        header_line(rows, args, rounds),
        "",
        "| scenario | req/s | p50 ms | p99 ms | SQL queries | vs bare | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    met = []
    for row in rows:
        rate = row.requests_per_second
        if row.is_bare:
            bare_rate[row.scenario.name] = rate
            ratio_text, target_text = "1", ""
        else:
            ratio = rate / bare_rate[row.scenario.name]
            ratio_text = f"{ratio:.2f}"
            target = row.scenario.target
            target_text = ""
            if target:
                ok = ratio >= target
                met.append(ok)
                target_text = f"≥ {target:.2f} {'met' if ok else 'NOT met'}"
        lines.append(
            f"| {row.label} | {rate:,.0f} | {row.percentile_ms(50):.2f} | "
            f"{row.percentile_ms(99):.2f} | {row.queries} | {ratio_text} | {target_text} |"
        )
    lines += ["", f"Targets met: {sum(met)} of {len(met)}."]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create, use and drop (its name must contain 'bench'), "
        "e.g. postgres://postgres@127.0.0.1:5432/ketamine_bench; default: a SQLite file in "
        "a temporary folder",
    )
    parser.add_argument(
        "--requests", type=int, default=2000, help="timed requests per row (default 2000)"
    )
    parser.add_argument(
        "--items", type=int, default=200, help="published articles to create (default 200)"
    )
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds (default 20)")
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="time the warm scenarios with Prometheus metrics off and on, instead of against "
        "the bare view",
    )
    args = parser.parse_args()
    rounds = max(1, min(args.rounds, args.requests))

    database = throwaway_database(args.database_url)
    database.create()
    metrics_dir = tempfile.TemporaryDirectory(prefix="ketamine-bench-metrics-")
    try:
        setup_django(database.url, metrics_dir.name if args.metrics else None)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        create_content(args.items)
        analyze()

        from articles.models import Article

        detail_slug = Article.objects.published().first().slug
        if args.metrics:
            rows = metrics_rows(metrics_scenarios(detail_slug))
            # Off and on take turns request by request: a burst of noise lands on both.
            rounds = args.requests
            run(rows, args.requests, rounds)
            metrics_report(rows, args, rounds)
        else:
            rows = prepare(Client(), article_scenarios(detail_slug))
            run(rows, args.requests, rounds)
            report(rows, args, rounds)
    finally:
        database.drop()
        metrics_dir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
