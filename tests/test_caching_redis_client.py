"""The Redis cache backend the project ships (api.redis_cache): one client per pool."""

import os
import socket

import pytest
from django.core.cache import caches
from django.db import connection

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# CI runs the suite on SQLite and PostgreSQL at once against one Redis: each run has its
# own database number (flushed by clear()) and each process its own key prefix.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{11 + (connection.vendor == 'postgresql')}"
KEY_PREFIX = f"ketamine-api-tests-{os.getpid()}"


def shipped_redis_cache(location):
    return {
        "default": {
            "BACKEND": "api.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_settings(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = shipped_redis_cache(REDIS_TEST_URL)
    caches["default"].clear()
    yield settings
    caches["default"].clear()


def test_answers_and_budgets_go_through_one_client(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {**redis_settings.API_THROTTLE_RATES, "anon": "3/minute"}
    ArticleFactory(slug="a")
    first = client.get("/api/v1/articles/a/")
    second = client.get("/api/v1/articles/a/")
    assert second.content == first.content
    assert second["RateLimit"].startswith('"anon";r=1;')
    assert client.get("/api/v1/articles/a/").status_code == 200
    assert client.get("/api/v1/articles/a/").status_code == 429
    backend = caches["default"]._cache
    assert backend.get_client(write=True) is backend.get_client()


def test_without_redis_the_shipped_backend_fails_open(client, settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = shipped_redis_cache(f"redis://127.0.0.1:{port}/0")
    ArticleFactory(slug="still-here")
    for _ in range(2):
        assert client.get("/api/v1/articles/still-here/").status_code == 200
    assert "Cache unavailable" in caplog.text
