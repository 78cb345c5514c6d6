"""The Redis cache backend the project ships (api.redis_cache): one client per pool, and an
anonymous hit answered in one round trip to Redis, its budget counted in it."""

import socket
import time
from unittest import mock

import pytest
from django.core.cache import caches

from tests.factories import ArticleFactory
from tests.redis_caches import forget_own_keys, shipped_redis_cache, use_shipped_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_settings(settings):
    use_shipped_redis(settings)
    yield settings
    forget_own_keys()


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


class RedisCommands:
    """Count the commands sent to Redis (each one a round trip)."""

    def __init__(self):
        self.names = []

    def __enter__(self):
        import redis

        original = redis.Redis.execute_command
        names = self.names

        def counted(client, *args, **options):
            names.append(args[0])
            return original(client, *args, **options)

        self.patch = mock.patch.object(redis.Redis, "execute_command", counted)
        self.patch.start()
        return self

    def __exit__(self, *exc_info):
        self.patch.stop()


def test_an_early_hit_or_304_is_one_round_trip(client, redis_settings, django_assert_num_queries):
    ArticleFactory(slug="a")
    miss = client.get("/api/v1/articles/a/")
    with RedisCommands() as commands, django_assert_num_queries(0):
        hit = client.get("/api/v1/articles/a/")
        not_modified = client.get("/api/v1/articles/a/", HTTP_IF_NONE_MATCH=miss["ETag"])
    assert hit.status_code == 200 and hit.content == miss.content
    assert not_modified.status_code == 304
    assert commands.names == ["EVALSHA", "EVALSHA"]


def test_a_budget_slides_and_refused_requests_are_not_counted(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {**redis_settings.API_THROTTLE_RATES, "anon": "2/minute"}
    ArticleFactory(slug="a")
    start = time.time()
    with mock.patch("api.throttling.time.time", return_value=start):
        assert client.get("/api/v1/articles/a/")["RateLimit"] == '"anon";r=1;t=60'
    with mock.patch("api.throttling.time.time", return_value=start + 30):
        assert client.get("/api/v1/articles/a/")["RateLimit"] == '"anon";r=0;t=30'
        refused = client.get("/api/v1/articles/a/")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "30"
    # The first request has left the window, the refused one was never in it.
    for later in (60.5, 91):
        with mock.patch("api.throttling.time.time", return_value=start + later):
            response = client.get("/api/v1/articles/a/")
        assert response.status_code == 200
        assert response["RateLimit"] == '"anon";r=0;t=30'


def test_a_budget_costs_the_same_however_large_its_quota(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {
        **redis_settings.API_THROTTLE_RATES,
        "anon": "1000000/minute",
    }
    ArticleFactory(slug="a")
    for _ in range(50):
        client.get("/api/v1/articles/a/")
    backend = caches["default"]
    key = backend.make_and_validate_key("throttle_anon_127.0.0.1:window")
    redis = backend._cache.get_client()
    assert redis.type(key) == b"zset"
    assert redis.zcard(key) == 50
    assert 0 < redis.ttl(key) <= 60


def test_the_search_budget_is_counted_in_the_same_round_trip(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {
        **redis_settings.API_THROTTLE_RATES,
        "anon": "5/minute",
        "search": "1/minute",
    }
    ArticleFactory(title="Ketamine")
    assert client.get("/api/v1/search/", {"q": "ketamine"}).status_code == 200
    with RedisCommands() as commands:
        refused = client.get("/api/v1/search/", {"q": "ketamine"})
    assert refused.status_code == 429
    assert refused["RateLimit"].startswith('"anon";r=3;t=60, "search";r=0;t=')
    assert commands.names == ["EVALSHA"]
