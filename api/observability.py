"""
Request ids, the access log and request metrics: what is recorded of every request.

`RequestIdMiddleware` takes the caller's `X-Request-ID` when it is a sane token (a load
balancer or the frontend may have made one), or makes one, keeps it in a context variable
for `RequestIdFilter` to add to each log record, with the trace id when the request is
traced, and echoes it in the response.

`MetricsMiddleware` records each request in the Prometheus metrics of telemetry.metrics,
only when METRICS_TOKEN is set: otherwise it is not installed at all and costs nothing.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.db.backends.signals import connection_created
from django.urls import Resolver404, resolve
from opentelemetry import trace

from telemetry import metrics

request_id_var = contextvars.ContextVar("request_id", default=None)
access_log = logging.getLogger("api.access")

# Letters, digits and a few separators: enough for UUIDs and tracing ids, nothing that could
# forge a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        # Without tracing the current span is the invalid one: no id, and nothing to pay.
        context = trace.get_current_span().get_span_context()
        record.trace_id = trace.format_trace_id(context.trace_id) if context.is_valid else None
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# The queries of the request being handled, counted by `count_query` while one is.
query_count_var = contextvars.ContextVar("query_count", default=None)


def count_query(execute, sql, params, many, context):
    """A database execute wrapper: count the query for the request it is made for."""
    counter = query_count_var.get()
    if counter is not None:
        counter[0] += 1
    return execute(sql, params, many, context)


def install_query_counter(connection, **kwargs):
    """Count the queries of a database connection (on `connection_created`)."""
    # First, not last: Django's own `execute_wrapper()` blocks remove the last one on exit.
    if count_query not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, count_query)


def route_name(request):
    """
    Name the route a request went to, from a bounded set: the URL pattern's name, `admin`
    for every admin page, `static` for static files, `unmatched` for any other address.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution: a CORS preflight, an HTTPS redirect, a static file.
        if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return "static"
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    if "admin" in match.namespaces:
        return "admin"
    return match.view_name if match.url_name else match.route


class MetricsMiddleware:
    def __init__(self, get_response):
        if not settings.METRICS_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        # Each label combination's series, looked up once: labels() costs as much as a write.
        self.series = {}
        # Connections opened from now on, and those open already (in this thread).
        connection_created.connect(install_query_counter, dispatch_uid="count-queries")
        for connection in connections.all(initialized_only=True):
            install_query_counter(connection)

    def __call__(self, request):
        queries = [0]
        token = query_count_var.set(queries)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            query_count_var.reset(token)
        duration = time.perf_counter() - started

        route = route_name(request)
        status = response.status_code
        key = (route, request.method, status)
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = (
                metrics.HTTP_REQUEST_DURATION.labels(route, request.method, f"{status // 100}xx"),
                metrics.HTTP_REQUEST_QUERIES.labels(route),
                metrics.HTTP_NOT_MODIFIED.labels(route) if status == 304 else None,
            )
        duration_series, queries_series, not_modified_series = series
        duration_series.observe(duration)
        queries_series.observe(queries[0])
        if not_modified_series is not None:
            not_modified_series.inc()
        elif status == 200 and route == "sync":
            metrics.SYNC_PAGES.labels("continue" if "cursor" in request.GET else "start").inc()
        return response
