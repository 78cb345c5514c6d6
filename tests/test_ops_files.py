"""The Grafana dashboard and the alerting rules query only metrics the service exports."""

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import telemetry.metrics  # noqa: F401 registers every metric

OPS = Path(__file__).resolve().parent.parent / "ops"
NAME = re.compile(r"\bketamine_[a-z_]+")


def exported_names():
    """Every sample name the metrics can have: counters' _total, histograms' _bucket, ..."""
    return {
        sample_name
        for family in REGISTRY.collect()
        if family.name.startswith("ketamine_")
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
    families = {family.name for family in REGISTRY.collect() if family.name.startswith("ketamine_")}
    shown = {family for family in families if any(family in name for name in used)}
    assert shown == families, families - shown


def test_the_alerts_watch_errors_latency_readiness_and_queue_age():
    expressions = alert_expressions()
    used = {name for expression in expressions for name in NAME.findall(expression)}
    assert used <= exported_names(), used - exported_names()
    text = "\n".join(expressions)
    assert 'status_class="5xx"' in text
    assert "histogram_quantile(0.95" in text
    assert "probe_success" in text
    assert "ketamine_queue_oldest_task_age_seconds" in text
