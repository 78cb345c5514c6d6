"""The API's own endpoints, beside the resources: the index, liveness and readiness probes, sync
and metrics."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.conditional import public_cache_control
from api.serializers import (
    ApiIndexSerializer,
    HealthSerializer,
    ReadinessSerializer,
    SyncPageSerializer,
    SyncParametersSerializer,
    WorkerReadinessSerializer,
    index_routes,
)
from api.sync import Cursor, Scope, sync_page
from apibase.cache_tags import set_cache_tags
from apibase.problems import (
    PROBLEM_CONTENT_TYPE,
    RETRY_AFTER_SECONDS,
    InvalidQueryParameters,
    problem,
)
from content import registry
from publishing.changes import content_version_get
from webhooks.metrics import WorkerCollector
from webhooks.probes import worker_checks

logger = logging.getLogger(__name__)


class ApiIndexView(APIView):
    """Where everything is: each resource of the API, by name, with its address."""

    filter_backends = ()

    @extend_schema(
        summary="Index of the API",
        operation_id="getApiIndex",
        responses=ApiIndexSerializer,
        tags=["index"],
    )
    def get(self, request):
        return Response(
            {name: reverse(route, request=request) for name, route in index_routes().items()},
            headers={"Cache-Control": public_cache_control()},
        )


class HealthView(APIView):
    """Answer whether the process is up; it touches no database or cache."""

    filter_backends = ()

    @extend_schema(
        summary="Liveness probe",
        operation_id="getHealth",
        responses=HealthSerializer,
        tags=["health"],
    )
    def get(self, request):
        return Response({"status": "ok"})


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        logger.warning("Readiness: the database does not answer: %s", error)
        return False
    return True


def _cache_answers():
    try:
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"
    except Exception as error:
        logger.warning("Readiness: the cache does not answer: %s", error)
        return False


class ReadinessView(APIView):
    """
    Answer whether the process can serve: its database and its cache both answer.

    A 503 problem lists in `checks` which of them does not, so a load balancer can take the
    process out of rotation until they do. The API keeps answering without the cache, more
    slowly; without the database it answers 503 problems.
    """

    filter_backends = ()

    @extend_schema(
        summary="Readiness probe",
        operation_id="getReadiness",
        responses=ReadinessSerializer,
        tags=["health"],
    )
    def get(self, request):
        checks = {
            "database": "ok" if _database_answers() else "unavailable",
            "cache": "ok" if _cache_answers() else "unavailable",
        }
        if all(state == "ok" for state in checks.values()):
            return Response({"status": "ok", "checks": checks})
        failing = ", ".join(name for name, state in checks.items() if state != "ok")
        return Response(
            problem(503, f"Not ready: {failing} unavailable.", request.path, checks=checks),
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
            content_type=PROBLEM_CONTENT_TYPE,
        )


class WorkerReadinessView(APIView):
    """
    Answer whether the background worker can do its work: the broker answers (within two
    seconds) and the outbox is being relayed (no event due for longer than a few relay
    intervals).

    Separate from `/readyz`: the API serves without the worker, and publishing events wait
    in the outbox until it is back, so this is for alerting and for the worker's own probe.
    """

    filter_backends = ()

    @extend_schema(
        summary="Worker readiness probe",
        operation_id="getWorkerReadiness",
        responses=WorkerReadinessSerializer,
        tags=["health"],
    )
    def get(self, request):
        checks = worker_checks()
        if all(state == "ok" for state in checks.values()):
            return Response({"status": "ok", "checks": checks})
        failing = ", ".join(f"{name} {state}" for name, state in checks.items() if state != "ok")
        return Response(
            problem(503, f"Worker not ready: {failing}.", request.path, checks=checks),
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
            content_type=PROBLEM_CONTENT_TYPE,
        )


class SyncView(APIView):
    """
    Mirror the public content offline: everything first, then only what changed.

    Start without `cursor`: the answers list every public item in scope as an `upsert`
    with its full detail representation. While `has_more` is true, ask again at once with
    the `cursor` of the last answer. Later, ask with the last cursor to get only what
    changed since: `upsert` for items created or changed, `remove` for items deleted,
    unpublished, archived, renamed (under their old slug) or out of the scope. Apply the
    changes in order; an item you do not have may be removed: ignore it.

    With `lang=es`, each item is its Spanish detail (`?lang=es`), or its English one,
    marked `is_fallback`, while its Spanish translation is not published; a translation
    published, withdrawn or edited is an `upsert`. Accept-Language does not choose the
    language of a sync: only `lang` does.

    Send the same `type`, `condition` and `lang` with every request of a sync. A 409
    problem whose `code` is `sync_restart` (type
    `urn:ketamine-content-api:problem:sync-restart`) means the cursor cannot be continued
    (malformed, of another scope or language, or older than the change log kept): drop
    the local copy and start again without a cursor.
    """

    @extend_schema(
        summary="Sync public content",
        operation_id="syncContent",
        parameters=[
            SyncParametersSerializer,
            # Comma-separated lists, described as such (the serializer would say `type=a&type=b`).
            OpenApiParameter(
                "type",
                str,
                many=True,
                explode=False,
                style="form",
                enum=registry.type_names(),
                description=SyncParametersSerializer().fields["type"].help_text,
            ),
            OpenApiParameter(
                "condition",
                str,
                many=True,
                explode=False,
                style="form",
                description=SyncParametersSerializer().fields["condition"].help_text,
            ),
        ],
        responses={200: OpenApiResponse(SyncPageSerializer, description="One page of changes.")},
        tags=["sync"],
    )
    def get(self, request):
        parameters = SyncParametersSerializer(data=request.query_params)
        unknown = set(request.query_params) - set(parameters.fields)
        if unknown:
            raise InvalidQueryParameters(
                {name: ["This query parameter is not supported here."] for name in sorted(unknown)}
            )
        # `?cursor=` starts a sync, as no cursor does; any other empty value is a mistake.
        empty = sorted(
            name
            for name, values in request.query_params.lists()
            if name != "cursor" and any(not value.strip() for value in values)
        )
        if empty:
            raise InvalidQueryParameters(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        if not parameters.is_valid():
            raise InvalidQueryParameters(parameters.errors)
        values = parameters.validated_data
        scope = Scope.from_parameters(values.get("type"), values.get("condition"), values["lang"])
        cursor = None
        if "cursor" in values:
            version = content_version_get()
            cursor = Cursor.decode(values["cursor"], scope, version.pruned_through)
        response = Response(
            sync_page(scope=scope, cursor=cursor, limit=values["limit"], request=request)
        )
        set_cache_tags(response, ["sync"])
        return response


class FirstRendererNegotiation(BaseContentNegotiation):
    """Answer in the view's one format whatever Accept says: a scraper must never get a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def bearer_token_matches(request, expected):
    """Whether the request carries `Authorization: Bearer <expected>`, compared in constant time."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(
        token.strip().encode(), expected.encode()
    )


METRICS_EXAMPLE = OpenApiExample(
    "Two of the series",
    value=(
        "# HELP ketamine_http_not_modified_total 304 Not Modified answers: the client's copy "
        "was current, no body sent.\n"
        "# TYPE ketamine_http_not_modified_total counter\n"
        'ketamine_http_not_modified_total{route="article-detail"} 42.0\n'
        "# HELP ketamine_answer_cache_lookups_total Lookups in the server-side cache of "
        "rendered public answers, by outcome (hit, miss).\n"
        "# TYPE ketamine_answer_cache_lookups_total counter\n"
        'ketamine_answer_cache_lookups_total{outcome="hit"} 1234.0\n'
    ),
)


class MetricsView(APIView):
    """
    Serve the Prometheus metrics of this server, summed over its worker processes.

    Only with `Authorization: Bearer <METRICS_TOKEN>`; without METRICS_TOKEN set on the
    server it does not exist (404). Text exposition format, or OpenMetrics when the
    scraper asks for it in `Accept`. Scrape each server directly: through the load
    balancer you would see one server's counts at random.
    """

    filter_backends = ()
    authentication_classes = ()
    permission_classes = ()
    content_negotiation_class = FirstRendererNegotiation

    def get_authenticate_header(self, request):
        return 'Bearer realm="metrics"'

    @extend_schema(
        summary="Prometheus metrics",
        operation_id="getMetrics",
        auth=[{"metricsToken": []}],
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.STR, description="OK", examples=[METRICS_EXAMPLE]
            )
            for media_type in ("text/plain", "application/openmetrics-text")
        },
        tags=["operations"],
    )
    def get(self, request):
        if not settings.METRICS_ENABLED:
            raise NotFound("Nothing is published at this address.")
        if not bearer_token_matches(request, settings.METRICS_TOKEN):
            raise NotAuthenticated("Send Authorization: Bearer with the metrics token.")
        registry = CollectorRegistry()
        if settings.PROMETHEUS_MULTIPROC_DIR:
            # Every worker's files, the dead ones' included: counts never go back.
            MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
        else:
            registry.register(REGISTRY)  # this process's metrics
        # Measured now, from the database, broker and cache every server shares.
        registry.register(WorkerCollector())
        encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
        return HttpResponse(
            encoder(registry), content_type=content_type, headers={"Cache-Control": "no-store"}
        )
