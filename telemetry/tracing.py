"""
OpenTelemetry traces: each request, with its database queries and Redis commands in it.

Only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans are then batched and sent over OTLP
(HTTP and protobuf) to `<endpoint>/v1/traces`. Otherwise nothing is instrumented, so a
request pays nothing, and the SDK and instrumentations are not even imported. The trace id
of the request being handled is written in every log line beside its request id
(api.observability.RequestIdFilter).
"""

from django.conf import settings


def instrumentors():
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    return DjangoInstrumentor(), PsycopgInstrumentor(), RedisInstrumentor()


def configure():
    """Trace to the OTLP collector named in the settings; do nothing when none is."""
    if not settings.OTEL_EXPORTER_OTLP_ENDPOINT:
        return None
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    exporter = OTLPSpanExporter(endpoint=f"{settings.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces")
    provider = instrument(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def instrument(span_processor):
    """
    Trace Django requests, psycopg queries and Redis commands into `span_processor`.

    Call it before the WSGI handler is made (Django's instrumentation adds a middleware) and
    before connections are opened (psycopg's wraps `connect`). Returns the tracer provider.
    """
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.OTEL_SERVICE_NAME})
    )
    provider.add_span_processor(span_processor)
    django, psycopg, redis = instrumentors()
    django.instrument(tracer_provider=provider, request_hook=drop_query_string)
    psycopg.instrument(tracer_provider=provider)
    redis.instrument(tracer_provider=provider)
    return provider


def drop_query_string(span, request):
    """Keep the query string out of a request's span: a search may name a reader's illness."""
    if not span.is_recording():
        return
    for key in ("http.url", "http.target", "url.full"):
        value = span.attributes.get(key)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(key, value.split("?", 1)[0])
    if "url.query" in span.attributes:
        span.set_attribute("url.query", "")


def uninstrument():
    """Undo `instrument()`: for tests, which trace into memory for a while."""
    for instrumentor in instrumentors():
        instrumentor.uninstrument()
