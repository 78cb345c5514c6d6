"""The liveness probe answers without touching anything else."""

import pytest

from tests.problems import assert_problem


def test_health_is_ok_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_with_trailing_slash_is_404_problem(client):
    assert_problem(client.get("/healthz/"), 404)


@pytest.mark.django_db
def test_ready_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_not_ready_is_a_503_problem_naming_the_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    body = assert_problem(response, 503)
    assert body["checks"] == {"database": "ok", "cache": "unavailable"}
    assert response["Retry-After"]


@pytest.mark.django_db
def test_not_ready_is_a_503_problem_naming_the_database(client, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr("api.views.connection.cursor", unreachable)
    body = assert_problem(client.get("/readyz"), 503)
    assert body["checks"] == {"database": "unavailable", "cache": "ok"}
