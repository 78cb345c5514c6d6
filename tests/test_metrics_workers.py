"""Under gunicorn, /metrics sums every worker's counts, those of replaced workers included."""

from prometheus_client.parser import text_string_to_metric_families

from tests.servers import AppServer, production_env

TOKEN = "metrics-token-for-tests-0123456789abcdef"
HEALTHZ_OK = {"route": "healthz", "method": "GET", "status_class": "2xx"}


def healthz_count(server):
    status, _, body = server.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200, body[:300]
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if (
                sample.name == "ketamine_http_request_duration_seconds_count"
                and sample.labels == HEALTHZ_OK
            ):
                return sample.value
    return 0


def test_counts_are_summed_over_workers_living_and_replaced(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    # A file left by an earlier run would be summed in, or break the scrape: it must go.
    (metrics_dir / "counter_999999.db").write_bytes(b"left over from an earlier run")
    env = production_env(
        f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    # Each worker is replaced after 4 requests: 12 requests pass through 3 processes at least.
    server = AppServer(env, workers=2, args=["--max-requests", "4"])
    try:
        before = healthz_count(server)
        for _ in range(12):
            assert server.get("/healthz")[0] == 200
        assert healthz_count(server) == before + 12
    finally:
        server.stop()
    workers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}
    assert "999999" not in workers
    assert len(workers) >= 3, (workers, server.output()[-2000:])
