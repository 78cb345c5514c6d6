"""Request budgets: counted before the answer cache, announced in every answer, not evadable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ArticleFactory
from tests.problems import assert_problem
from tests.redis_caches import forget_own_keys, use_shipped_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["in memory", "in Redis"])
def budgets(request, settings):
    """The same budgets counted by the in-memory cache and by Redis (api.redis_cache)."""
    if request.param == "in Redis":
        use_shipped_redis(settings)
    settings.API_THROTTLE_RATES = {"anon": "5/minute", "user": "8/minute", "search": "2/minute"}
    yield settings
    if request.param == "in Redis":
        forget_own_keys()


def test_every_answer_announces_the_budget(client, budgets):
    ArticleFactory()
    first = client.get("/api/v1/articles/")
    second = client.get("/api/v1/articles/")
    assert first["RateLimit-Policy"] == '"anon";q=5;w=60'
    assert first["RateLimit"] == '"anon";r=4;t=60'
    assert second["RateLimit"].startswith('"anon";r=3;t=')


def test_over_budget_is_a_429_problem_with_retry_after(client, budgets):
    for _ in range(5):
        assert client.get("/api/v1/articles/").status_code == 200
    response = client.get("/api/v1/articles/")
    body = assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["RateLimit"].startswith('"anon";r=0;')
    assert "budget" in body["detail"]


def test_cached_answers_and_304s_cost_budget(client, budgets):
    ArticleFactory()
    etag = client.get("/api/v1/articles/")["ETag"]
    assert client.get("/api/v1/articles/").status_code == 200  # from the answer cache
    for _ in range(3):
        response = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert "RateLimit" in response
    assert_problem(client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag), 429)


def test_search_has_a_stricter_budget_on_top(client, budgets):
    ArticleFactory(title="Ketamine")
    for _ in range(2):
        response = client.get("/api/v1/search/", {"q": "ketamine"})
        assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"anon";q=5;w=60, "search";q=2;w=60'
    assert response["RateLimit"].startswith('"anon";r=3;t=60, "search";r=0;t=')
    assert_problem(client.get("/api/v1/search/", {"q": "ketamine"}), 429)
    assert client.get("/api/v1/articles/").status_code == 200


def test_authenticated_clients_have_their_own_budget(client, budgets, editor):
    token = Token.objects.create(user=editor)
    for _ in range(5):
        client.get("/api/v1/articles/")
    assert_problem(client.get("/api/v1/articles/"), 429)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/v1/articles/")
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"user";q=8;w=60'
    for _ in range(7):
        api.get("/api/v1/articles/")
    assert_problem(api.get("/api/v1/articles/"), 429)


def test_an_invalid_token_spends_the_address_budget(client, budgets):
    for n in range(5):
        APIClient(HTTP_AUTHORIZATION=f"Token forged-{n}").get("/api/v1/articles/")
    assert_problem(client.get("/api/v1/articles/"), 429)


def test_a_token_is_looked_up_once_for_the_budget_and_the_view(budgets, editor):
    token = Token.objects.create(user=editor)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/articles/")
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"user";q=8;w=60'
    lookups = [query for query in queries if Token._meta.db_table in query["sql"]]
    assert len(lookups) == 1


def test_an_invalid_token_is_still_refused_by_the_view(budgets):
    response = APIClient(HTTP_AUTHORIZATION="Token forged").get("/api/v1/articles/")
    assert_problem(response, 401)
    assert response["RateLimit-Policy"] == '"anon";q=5;w=60'


def test_rotating_x_forwarded_for_buys_no_fresh_budget(client, budgets):
    for n in range(5):
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert_problem(client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="198.51.100.7"), 429)


def test_behind_a_trusted_proxy_only_its_entry_counts(client, budgets):
    budgets.REST_FRAMEWORK = {**budgets.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    for n in range(5):
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9")
    assert_problem(
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9"), 429
    )
    # Another client behind the same proxy has its own budget.
    response = client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 200


def test_probes_are_not_rate_limited(client, budgets):
    for _ in range(8):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
    assert "RateLimit" not in client.get("/healthz")


def test_a_body_over_the_limit_is_a_413_problem(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = editor_api.post(
        "/api/v1/faqs/", {"slug": "big", "question": "?", "answer": "x" * 4096}, format="json"
    )
    assert_problem(response, 413)


def test_admin_lockouts_count_by_the_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert get_client_ip_address(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert get_client_ip_address(request) == "203.0.113.9"
