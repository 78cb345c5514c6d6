"""With OTEL_EXPORTER_OTLP_ENDPOINT, a deployed server exports its spans over OTLP."""

import json
import time

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.collectors import Collector
from tests.servers import AppServer, production_env


def exported_spans(collector):
    """Return {trace id: (service name, span name)} of every span exported so far."""
    spans = {}
    for body in collector.wait_for("/v1/traces"):
        exported = ExportTraceServiceRequest.FromString(body)
        for resource_spans in exported.resource_spans:
            service = next(
                attribute.value.string_value
                for attribute in resource_spans.resource.attributes
                if attribute.key == "service.name"
            )
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    spans[span.trace_id.hex()] = (service, span.name)
    return spans


def test_spans_reach_the_collector_and_their_trace_id_the_log(tmp_path):
    with Collector() as collector:
        env = production_env(
            f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            OTEL_EXPORTER_OTLP_ENDPOINT=collector.url,
            OTEL_SERVICE_NAME="clinic-api-under-test",
            OTEL_BSP_SCHEDULE_DELAY="100",  # export every 0.1 s instead of 5 s
        )
        server = AppServer(env)
        try:
            assert server.get("/healthz", headers={"X-Request-ID": "probe-42"})[0] == 200
            server.wait_until(lambda: '"probe-42"' in server.output(), seconds=10)
            (line,) = [
                json.loads(line)
                for line in server.output().splitlines()
                if '"api.access"' in line and '"probe-42"' in line
            ]
            deadline = time.monotonic() + 10
            while line["trace_id"] not in exported_spans(collector):
                assert time.monotonic() < deadline, (line, exported_spans(collector))
                time.sleep(0.1)
        finally:
            server.stop()
    assert exported_spans(collector)[line["trace_id"]] == ("clinic-api-under-test", "GET healthz")
