"""Prometheus metrics at /metrics: behind a token, off without one, true to what happened."""

import datetime
import socket
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import ArticleFactory
from tests.problems import assert_problem
from webhooks.metrics import count_task_failure
from webhooks.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-0123456789abcdef"
AUTHORIZED = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ENABLED = True
    return settings


def scrape(client):
    """Return every sample of /metrics as {(name, sorted label pairs): value}."""
    response = client.get("/metrics", **AUTHORIZED)
    assert response.status_code == 200, response.content[:300]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests(delta, route, status_class, method="GET"):
    """How many requests a Delta saw answered on a route: its latency histogram's count."""
    labels = {"route": route, "method": method, "status_class": status_class}
    return delta("ketamine_http_request_duration_seconds_count", **labels)


class Delta:
    """What a block of requests added to the metrics, scraped before and after it."""

    def __init__(self, client):
        self.client = client

    def __enter__(self):
        self.before = scrape(self.client)
        return self

    def __exit__(self, *exc_info):
        self.after = scrape(self.client)

    def __call__(self, name, **labels):
        return value(self.after, name, **labels) - value(self.before, name, **labels)


# Access -----------------------------------------------------------------------------------


def test_off_without_a_token_is_a_404_even_to_a_bearer(client):
    assert_problem(client.get("/metrics"), 404)
    assert_problem(client.get("/metrics", **AUTHORIZED), 404)


def test_off_records_nothing_per_request(client):
    from prometheus_client import REGISTRY

    def healthz_count():
        labels = {"route": "healthz", "method": "GET", "status_class": "2xx"}
        return (
            REGISTRY.get_sample_value("ketamine_http_request_duration_seconds_count", labels) or 0
        )

    before = healthz_count()
    assert client.get("/healthz").status_code == 200
    assert healthz_count() == before


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", f"Token {TOKEN}", f"Basic {TOKEN}", f"Bearer {TOKEN}x",
     f"Bearer {TOKEN[:-1]}", "Bearer wrong", f"Bearer {TOKEN.upper()}", "Bearer é"],
)  # fmt: skip
def test_without_the_right_bearer_token_a_401(client, metrics_on, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get("/metrics", **headers)
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert TOKEN not in response.content.decode()
    assert "ketamine_" not in body["detail"]


def test_with_the_token_the_text_format(client, metrics_on):
    response = client.get("/metrics", **AUTHORIZED, HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"
    names = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {"ketamine_http_request_duration_seconds", "ketamine_answer_cache_lookups"} <= names


def test_openmetrics_when_the_scraper_asks(client, metrics_on):
    accept = "application/openmetrics-text;version=1.0.0;q=0.6,text/plain;version=0.0.4;q=0.3"
    response = client.get("/metrics", **AUTHORIZED, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/openmetrics-text")
    assert response.content.rstrip().endswith(b"# EOF")


def test_any_accept_gets_metrics_not_a_406(client, metrics_on):
    response = client.get("/metrics", **AUTHORIZED, HTTP_ACCEPT="application/xml")
    assert response.status_code == 200


def test_a_too_short_token_refuses_to_start():
    import subprocess
    import sys

    from tests.servers import ROOT, production_env

    result = subprocess.run(
        [sys.executable, "-c", "import api.settings"],
        cwd=ROOT,
        env=production_env("sqlite:///unused.sqlite3", METRICS_TOKEN="short"),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert b"METRICS_TOKEN must be at least 32 characters" in result.stderr


# What is counted --------------------------------------------------------------------------


def test_requests_by_route_name_and_status_class_never_by_path(client, metrics_on):
    article = ArticleFactory()
    with Delta(client) as delta:
        client.get("/api/v1/articles/")
        client.get(f"/api/v1/articles/{article.slug}/")
        client.get("/api/v1/articles/no-such-article/")
        for number in range(3):
            client.get(f"/no/such/address/{number}/")
        client.post("/healthz")
    assert requests(delta, "article-list", "2xx") == 1
    assert requests(delta, "article-detail", "2xx") == 1
    assert requests(delta, "article-detail", "4xx") == 1
    assert requests(delta, "unmatched", "4xx") == 3
    assert requests(delta, "healthz", "4xx", method="POST") == 1
    assert delta("ketamine_http_request_duration_seconds_sum", route="article-list",
                 method="GET", status_class="2xx") > 0  # fmt: skip
    labels = {value for (_, pairs) in delta.after for _, value in pairs}
    assert not any("no-such" in label or "/" in label for label in labels), labels


def test_admin_pages_share_one_route_label(client, metrics_on, superuser):
    client.force_login(superuser)
    with Delta(client) as delta:
        client.get("/admin/")
        client.get("/admin/articles/article/")
    assert requests(delta, "admin", "2xx") == 2


def test_answer_cache_hits_misses_and_304s(client, metrics_on):
    ArticleFactory()
    with Delta(client) as delta:
        etag = client.get("/api/v1/articles/")["ETag"]  # rendered: a miss
        assert client.get("/api/v1/articles/").status_code == 200  # from the cache: a hit
        assert client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert delta("ketamine_answer_cache_lookups_total", outcome="miss") == 1
    assert delta("ketamine_answer_cache_lookups_total", outcome="hit") == 1
    assert delta("ketamine_http_not_modified_total", route="article-list") == 1
    assert requests(delta, "article-list", "3xx") == 1


def test_search_latency_and_zero_result_searches(client, metrics_on):
    ArticleFactory(title="Ketamine and the NMDA receptor")
    with Delta(client) as delta:
        assert client.get("/api/v1/search/", {"q": "ketamine"}).json()["count"] == 1
        assert client.get("/api/v1/search/", {"q": "xylophone"}).json()["count"] == 0
        assert client.get("/api/v1/articles/", {"q": "zebra"}).json()["count"] == 0
    assert delta("ketamine_search_duration_seconds_count") == 3
    assert delta("ketamine_search_duration_seconds_sum") > 0
    assert delta("ketamine_search_zero_results_total") == 2


def test_sync_pages_served_with_and_without_a_cursor(client, metrics_on):
    ArticleFactory()
    with Delta(client) as delta:
        cursor = client.get("/api/v1/sync/").json()["cursor"]
        assert client.get("/api/v1/sync/", {"cursor": cursor}).status_code == 200
        assert client.get("/api/v1/sync/", {"cursor": "tampered"}).status_code == 409
    assert delta("ketamine_sync_pages_total", cursor="start") == 1
    assert delta("ketamine_sync_pages_total", cursor="continue") == 1


def test_database_queries_per_request_as_counted_by_django(client, metrics_on):
    ArticleFactory.create_batch(3)
    with Delta(client) as delta:
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/articles/")
        # Read now: the next request empties the log CaptureQueriesContext reads from.
        counted = len(queries)
        client.get("/healthz")
    assert counted > 0
    assert delta("ketamine_http_request_db_queries_sum", route="article-list") == counted
    assert delta("ketamine_http_request_db_queries_count", route="article-list") == 1
    assert delta("ketamine_http_request_db_queries_bucket", route="healthz", le="0.0") == 1


def test_throttled_requests_by_scope(client, metrics_on):
    metrics_on.API_THROTTLE_RATES = {"anon": "50/minute", "user": "50/minute", "search": "1/minute"}
    with Delta(client) as delta:
        assert client.get("/api/v1/search/", {"q": "ketamine"}).status_code == 200
        assert client.get("/api/v1/search/", {"q": "ketamine"}).status_code == 429
        assert client.get("/api/v1/articles/").status_code == 200
    assert delta("ketamine_throttled_requests_total", scope="search") == 1
    assert delta("ketamine_throttled_requests_total", scope="anon") == 0
    assert requests(delta, "search-list", "4xx") == 1


# Background work: measured at each scrape -------------------------------------------------


@pytest.fixture
def worker_queue():
    """The worker's queue on the tests' in-memory broker, empty before and after the test."""
    from api.worker import app

    def purge():
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(app.conf.task_default_queue)

    purge()
    yield app
    purge()


def test_the_worker_queue_outbox_deliveries_and_task_failures(client, metrics_on, worker_queue):
    endpoint = WebhookEndpoint.objects.create(url="https://hooks.example.org/", events=["x"])
    ArticleFactory(slug="now")
    ArticleFactory(slug="later", scheduled=True)
    event = OutboxEvent.objects.get(slug="now")
    now = timezone.now()
    OutboxEvent.objects.filter(pk=event.pk).update(due_at=now - datetime.timedelta(minutes=10))
    for status, attempts in (("pending", 2), ("delivered", 3), ("failed", 5)):
        WebhookDelivery.objects.create(
            event=event,
            endpoint=WebhookEndpoint.objects.create(url=endpoint.url, events=["x"]),
            status=status,
            attempts=attempts,
            retry_until=now,
        )
    count_task_failure("webhooks.tasks.deliver")
    count_task_failure("webhooks.tasks.deliver")
    worker_queue.send_task("webhooks.tasks.relay_outbox")
    worker_queue.send_task("webhooks.tasks.relay_outbox")

    samples = scrape(client)
    assert samples[("ketamine_worker_queue_depth", ())] == 2
    assert value(samples, "ketamine_webhook_outbox_events", state="due") == 1
    assert value(samples, "ketamine_webhook_outbox_events", state="scheduled") == 1
    assert 600 <= samples[("ketamine_webhook_outbox_oldest_due_age_seconds", ())] < 660
    for status in ("pending", "delivered", "failed"):
        assert value(samples, "ketamine_webhook_deliveries", status=status) == 1
    # Every attempt but the one that succeeded.
    assert value(samples, "ketamine_webhook_delivery_failed_attempts_total") == 2 + 2 + 5
    assert value(samples, "ketamine_task_failures_total", task="webhooks.tasks.deliver") == 2
    assert ("ketamine_task_failures_total", (("task", "webhooks.tasks.relay_outbox"),)) in samples


def test_the_worker_numbers_are_zero_before_any_work(client, metrics_on, worker_queue):
    samples = scrape(client)
    assert samples[("ketamine_worker_queue_depth", ())] == 0
    assert samples[("ketamine_webhook_outbox_oldest_due_age_seconds", ())] == 0
    worker = {name: count for (name, _), count in samples.items() if "webhook" in name}
    assert set(worker.values()) == {0}


def test_a_broker_that_does_not_answer_costs_the_scrape_2_s_and_only_the_queue_depth(
    client, metrics_on
):
    from celery import Celery

    from api.worker import app

    ArticleFactory(slug="waiting")
    assert client.get("/healthz").status_code == 200
    frozen = Celery("broker-frozen", set_as_current=False)
    frozen.config_from_object("django.conf:settings", namespace="CELERY")
    # It accepts connections (the kernel does) and never answers.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        frozen.conf.broker_url = f"redis://127.0.0.1:{listener.getsockname()[1]}/12"
        frozen.set_current()
        started = time.monotonic()
        try:
            samples = scrape(client)
        finally:
            app.set_current()
    assert time.monotonic() - started < 4
    assert not any(name == "ketamine_worker_queue_depth" for name, _ in samples)
    assert value(samples, "ketamine_webhook_outbox_events", state="due") == 1
    healthz = {"route": "healthz", "method": "GET", "status_class": "2xx"}
    assert value(samples, "ketamine_http_request_duration_seconds_count", **healthz) >= 1
