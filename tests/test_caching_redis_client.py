"""The Redis cache backend the project ships (api.redis_cache): one client per pool, and an
anonymous hit answered in one round trip to Redis, its budget counted in it."""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from api.redis_cache import BudgetLedger
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


def with_answer_memory(settings, entries=50):
    """
    Give the test's Redis cache the `local` cache the settings add with REDIS_URL, empty.

    A process counts budgets itself for a minute after Redis answered, not a second: a busy
    machine must not make a test's requests wait for Redis where the test says they do not.
    """
    settings.API_BUDGET_SYNC_MS = 60_000
    settings.CACHES = {
        **settings.CACHES,
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-answers-{entries}",
            "OPTIONS": {"MAX_ENTRIES": entries},
        },
    }
    caches["local"].clear()


def budget_key(scope="anon"):
    return caches["default"].make_and_validate_key(f"throttle_{scope}_127.0.0.1:window")


def requests_counted_by_redis(scope="anon"):
    return caches["default"]._cache.get_client().zcard(budget_key(scope))


def remaining(response, scope="anon"):
    """What the RateLimit header says is left of the budget."""
    return int(response["RateLimit"].split(f'"{scope}";r=')[1].split(";")[0])


def quota(scope):
    return int(settings.API_THROTTLE_RATES[scope].split("/")[0])


def later_by(seconds):
    """Move this process's clock on, as the budgets see it."""
    return mock.patch("api.redis_cache.time.monotonic", return_value=time.monotonic() + seconds)


def test_a_warm_hit_or_304_kept_in_memory_makes_no_round_trip(
    client, redis_settings, django_assert_num_queries
):
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    miss = client.get("/api/v1/articles/a/")
    with RedisCommands() as commands, django_assert_num_queries(0):
        hits = [client.get("/api/v1/articles/a/") for _ in range(3)]
        not_modified = client.get("/api/v1/articles/a/", HTTP_IF_NONE_MATCH=miss["ETag"])
    assert [hit.content for hit in hits] == [miss.content] * 3
    assert not_modified.status_code == 304
    # The miss counted its budget in Redis and kept the answer in memory: nothing to ask.
    assert commands.names == []
    first = remaining(miss)
    assert [remaining(hit) for hit in [*hits, not_modified]] == [
        first - 1,
        first - 2,
        first - 3,
        first - 4,
    ]


def test_an_answer_kept_in_memory_is_replaced_by_a_change(client, redis_settings):
    with_answer_memory(redis_settings)
    article = ArticleFactory(slug="a", title="Before")
    assert client.get("/api/v1/articles/a/").json()["title"] == "Before"
    assert client.get("/api/v1/articles/a/").json()["title"] == "Before"
    article.title = "After"
    article.save()
    assert client.get("/api/v1/articles/a/").json()["title"] == "After"


def test_a_budget_counted_in_process_is_exact_with_one_process(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {**redis_settings.API_THROTTLE_RATES, "anon": "25/minute"}
    redis_settings.API_BUDGET_BATCH = 5
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    with RedisCommands() as commands:
        answers = [client.get("/api/v1/articles/a/") for _ in range(26)]
    assert [answer.status_code for answer in answers] == [200] * 25 + [429]
    assert [remaining(answer) for answer in answers] == [*range(24, -1, -1), 0]
    # Far from the quota, requests were counted in process; near it, each one by Redis.
    assert len(commands.names) < 20
    assert requests_counted_by_redis() == 25


def test_requests_counted_in_process_reach_redis_with_the_next_round_trip(client, redis_settings):
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    for _ in range(7):
        client.get("/api/v1/articles/a/")
    # The miss asked Redis; the six hits since were counted here.
    assert requests_counted_by_redis() == 1
    with later_by(30), RedisCommands() as commands:
        client.get("/api/v1/articles/a/")
    assert commands.names == []
    with later_by(61), RedisCommands() as commands:
        response = client.get("/api/v1/articles/a/")
    assert commands.names == ["EVALSHA"]
    assert requests_counted_by_redis() == 9
    assert remaining(response) == quota("anon") - 9


def test_a_batch_of_zero_counts_every_request_in_redis(client, redis_settings):
    redis_settings.API_BUDGET_BATCH = 0
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    client.get("/api/v1/articles/a/")
    with RedisCommands() as commands:
        for _ in range(4):
            client.get("/api/v1/articles/a/")
    assert commands.names == ["EVALSHA"] * 4
    assert requests_counted_by_redis() == 5


def test_two_processes_give_a_client_at_most_its_quota_and_a_batch(client, redis_settings):
    redis_settings.API_THROTTLE_RATES = {**redis_settings.API_THROTTLE_RATES, "anon": "40/minute"}
    redis_settings.API_BUDGET_BATCH = 5
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    first, second = BudgetLedger(), BudgetLedger()

    def served_by(process):
        # Each process counts in its own ledger; they share Redis, as gunicorn's workers do.
        with mock.patch("api.redis_cache.budget_ledger", process):
            return client.get("/api/v1/articles/a/").status_code == 200

    served = [served_by(first), served_by(first)]  # the second counted by the first process
    served += [served_by(second) for _ in range(45)]  # the rest of the budget, and refusals
    # The first process has not heard from Redis since: it counts up to a batch itself.
    served += [served_by(first) for _ in range(10)]
    assert sum(served) == 40 + 5
    assert not any(served[-6:])
    assert requests_counted_by_redis() == 45


def test_answers_kept_in_memory_still_serve_while_redis_is_down(
    client, redis_settings, django_assert_num_queries, caplog
):
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    served = client.get("/api/v1/articles/a/")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    alive = redis_settings.CACHES
    redis_settings.CACHES = {
        **alive,
        "default": shipped_redis_cache(f"redis://127.0.0.1:{port}/0")["default"],
    }
    with django_assert_num_queries(0):
        hit = client.get("/api/v1/articles/a/")
    redis_settings.CACHES = alive
    assert hit.status_code == 200 and hit.content == served.content
    assert "Cache unavailable" in caplog.text


def test_threads_of_one_process_share_its_count(redis_settings):
    redis_settings.API_THROTTLE_RATES = {**redis_settings.API_THROTTLE_RATES, "anon": "200/minute"}
    redis_settings.API_BUDGET_BATCH = 10
    # The threads' hits need neither the database nor Redis to answer, only to count.
    redis_settings.CONTENT_VERSION_MAX_AGE_MS = 60_000
    with_answer_memory(redis_settings)
    ArticleFactory(slug="a")
    Client().get("/api/v1/articles/a/")
    start = threading.Barrier(8)

    def spend():
        client = Client()
        start.wait()
        return [client.get("/api/v1/articles/a/").status_code for _ in range(30)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [status for thread in pool.map(lambda _: spend(), range(8)) for status in thread]
    assert set(statuses) == {200, 429}
    served = 1 + statuses.count(200)
    # Only Redis refuses, near the quota it counts every request, and it hears of what the
    # process counted itself before it decides on the next request: none is served over it.
    assert served == 200
    assert requests_counted_by_redis() == served
