"""OpenTelemetry traces: requests, queries and Redis commands, and the trace id in the logs."""

import copy
import json
import logging
import logging.config
import socket

import pytest
from django.db import connection
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from rest_framework.test import APIClient

from telemetry import tracing
from tests.factories import ArticleFactory

# The shared-cache tests' database (tests/test_caching_server.py): one per database engine.
REDIS_URL = f"redis://127.0.0.1:6379/{3 + (connection.vendor == 'postgresql')}"


@pytest.fixture
def spans():
    """Trace into memory while the test runs; a client made now goes through the tracing."""
    exporter = InMemorySpanExporter()
    tracing.instrument(SimpleSpanProcessor(exporter))
    yield exporter
    tracing.uninstrument()


def request_span(exporter):
    (span,) = [span for span in exporter.get_finished_spans() if span.kind.name == "SERVER"]
    return span


def test_nothing_is_traced_without_an_endpoint(settings):
    from opentelemetry import trace
    from opentelemetry.instrumentation.django import DjangoInstrumentor

    assert not settings.OTEL_EXPORTER_OTLP_ENDPOINT
    assert not DjangoInstrumentor().is_instrumented_by_opentelemetry
    assert not any("opentelemetry" in name for name in settings.MIDDLEWARE)
    assert not trace.get_current_span().get_span_context().is_valid


@pytest.mark.django_db
def test_a_request_is_a_span_named_by_its_route(spans):
    ArticleFactory(slug="nmda")
    response = APIClient().get("/api/v1/articles/nmda/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    span = request_span(spans)
    route = span.attributes["http.route"]
    assert route.startswith("api/v1/articles/(?P<slug>")  # the pattern, not the slug
    assert span.name == f"GET {route}"
    assert span.attributes["http.status_code"] == 200


@pytest.mark.django_db
def test_the_query_string_stays_out_of_the_span(spans):
    assert APIClient().get("/api/v1/search/", {"q": "my depression"}).status_code == 200
    span = request_span(spans)
    assert span.attributes["http.url"] == "http://testserver/api/v1/search/"
    assert not any("depression" in str(value) for value in span.attributes.values())


@pytest.mark.django_db
def test_the_request_id_and_the_trace_id_share_a_log_line(spans, caplog):
    from django.conf import settings

    # A copy: configuring a formatter consumes its "()" key.
    formatter = logging.config.dictConfigClass(settings.LOGGING).configure_formatter(
        copy.deepcopy(settings.LOGGING["formatters"]["json"])
    )
    with caplog.at_level(logging.INFO, logger="api.access"):
        APIClient().get("/healthz", HTTP_X_REQUEST_ID="lb-trace-7")
    (record,) = [record for record in caplog.records if record.name == "api.access"]
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "lb-trace-7"
    assert line["trace_id"] == f"{request_span(spans).context.trace_id:032x}"


@pytest.mark.django_db
def test_an_incoming_traceparent_continues_the_callers_trace(spans):
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    APIClient().get("/healthz", HTTP_TRACEPARENT=f"00-{caller_trace}-00f067aa0ba902b7-01")
    assert f"{request_span(spans).context.trace_id:032x}" == caller_trace


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_queries_are_spans_inside_the_request(spans):
    ArticleFactory()  # perhaps on a new, traced connection: its spans are dropped below
    connection.close()  # psycopg is traced from the next connection on
    spans.clear()
    assert APIClient().get("/api/v1/articles/").status_code == 200
    request = request_span(spans)
    queries = [span for span in spans.get_finished_spans() if "db.statement" in span.attributes]
    assert queries
    for query in queries:
        assert query.context.trace_id == request.context.trace_id
        assert query.attributes["db.system"] == "postgresql"


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_available(), reason="needs Redis at 127.0.0.1:6379")
@pytest.mark.django_db
def test_redis_commands_are_spans_inside_the_request(spans, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    assert APIClient().get("/readyz").status_code == 200
    request = request_span(spans)
    commands = [span for span in spans.get_finished_spans() if span.name in {"SET", "GET"}]
    assert {span.name for span in commands} == {"SET", "GET"}
    for command in commands:
        assert command.context.trace_id == request.context.trace_id
        assert command.attributes["db.system"] == "redis"
