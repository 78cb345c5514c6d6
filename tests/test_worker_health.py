"""The worker's probe (its numbers on /metrics: tests/test_metrics_api.py)."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory
from webhooks.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_worker_probe_is_ok_when_the_broker_answers_and_the_outbox_moves(client):
    answer = client.get("/readyz/worker")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"broker": "ok", "outbox": "ok"}}


def test_worker_probe_names_a_broker_that_does_not_answer(client, settings):
    from celery import Celery

    from api.worker import app
    from tests.servers import free_port

    down = Celery("broker-down", set_as_current=False)
    down.config_from_object("django.conf:settings", namespace="CELERY")
    down.conf.broker_url = f"redis://127.0.0.1:{free_port()}/12"
    down.set_current()
    try:
        answer = client.get("/readyz/worker")
    finally:
        app.set_current()
    assert answer.status_code == 503
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["checks"] == {"broker": "unavailable", "outbox": "ok"}


def test_worker_probe_names_an_outbox_nobody_relays(client):
    ArticleFactory(slug="waiting")
    OutboxEvent.objects.update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    answer = client.get("/readyz/worker")
    assert answer.status_code == 503
    assert answer.json()["checks"]["outbox"] == "stalled"
    assert "outbox stalled" in answer.json()["detail"]
