"""The Grafana dashboard and the alerting rules query only metrics the service exports."""

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import telemetry.metrics  # noqa: F401 registers every metric
from webhooks.metrics import WorkerCollector

OPS = Path(__file__).resolve().parent.parent / "ops"
NAME = re.compile(r"\bketamine_[a-z_]+")


def families():
    """Every metric of /metrics: those counted in process, and the worker's, measured at scrape."""
    return [
        family
        for family in [*REGISTRY.collect(), *WorkerCollector().describe()]
        if family.name.startswith("ketamine_")
    ]


def exported_names():
    """Every sample name the metrics can have: counters' _total, histograms' _bucket, ..."""
    return {
        sample_name
        for family in families()
        for sample_name in {
            family.name,
            f"{family.name}_total",
            f"{family.name}_bucket",
            f"{family.name}_count",
            f"{family.name}_sum",
        }
    }


def dashboard_expressions():
    dashboard = json.loads((OPS / "grafana" / "ketamine-api.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def alert_expressions():
    rules = yaml.safe_load((OPS / "prometheus" / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def test_the_dashboard_shows_every_metric_and_only_real_ones():
    expressions = dashboard_expressions()
    used = {name for expression in expressions for name in NAME.findall(expression)}
    assert used <= exported_names(), used - exported_names()
    names = {family.name for family in families()}
    shown = {name for name in names if any(name in used_name for used_name in used)}
    assert shown == names, names - shown


def test_the_alerts_watch_errors_latency_readiness_and_the_outbox():
    expressions = alert_expressions()
    used = {name for expression in expressions for name in NAME.findall(expression)}
    assert used <= exported_names(), used - exported_names()
    text = "\n".join(expressions)
    assert 'status_class="5xx"' in text
    assert "histogram_quantile(0.95" in text
    assert "probe_success" in text
    assert "ketamine_webhook_outbox_oldest_due_age_seconds" in text
