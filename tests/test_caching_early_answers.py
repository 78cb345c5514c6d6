"""
Anonymous cache hits are answered before sessions, authentication, CSRF and messages run
(api.public_answers), with the same bytes and headers as the whole stack gives them.
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db.models import F
from rest_framework.authtoken.models import Token

from api.public_answers import content_version
from articles.models import Article
from content.models import Status
from publishing.models import ContentVersion
from tests.factories import ArticleFactory
from tests.timetravel import clock_moved

pytestmark = pytest.mark.django_db

# Headers that differ between any two requests: the id of each, and the budget left.
PER_REQUEST = {"X-Request-ID", "RateLimit"}
SKIPPED = [
    "django.contrib.sessions.middleware.SessionMiddleware.process_request",
    "django.contrib.auth.middleware.AuthenticationMiddleware.process_request",
    "django.middleware.csrf.CsrfViewMiddleware.process_view",
    "django.contrib.messages.middleware.MessageMiddleware.process_request",
    "api.conditional.ConditionalGetMiddleware.process_view",
]


@pytest.fixture
def article():
    return ArticleFactory(slug="a", title="Published")


def stack_refused():
    """Make any middleware that an early answer skips fail the request if it runs."""
    patches = [mock.patch(name, side_effect=AssertionError(f"{name} ran")) for name in SKIPPED]
    for patch in patches:
        patch.start()
    return patches


def stable_headers(response):
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/articles/a/", "/api/v1/sync/"])
def test_a_hit_skips_the_stack_costs_no_query_and_matches_a_miss(
    client, article, url, django_assert_num_queries
):
    miss = client.get(url, HTTP_ACCEPT="application/json")
    patches = stack_refused()
    try:
        with django_assert_num_queries(0):
            hit = client.get(url, HTTP_ACCEPT="application/json")
    finally:
        for patch in patches:
            patch.stop()
    assert hit.status_code == 200
    assert hit.content == miss.content
    assert stable_headers(hit) == stable_headers(miss)
    assert hit["Cache-Control"].startswith("public")
    assert hit["RateLimit"] and hit["X-Request-ID"] and hit["X-Frame-Options"] == "DENY"


def test_an_early_304_matches_the_stack_s_own(client, article, django_assert_num_queries):
    etag = client.get("/api/v1/articles/")["ETag"]
    patches = stack_refused()
    try:
        with django_assert_num_queries(0):
            early = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    finally:
        for patch in patches:
            patch.stop()
    cache.clear()  # without a stored answer, the request goes the long way
    late = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    assert early.status_code == late.status_code == 304
    assert early.content == late.content == b""
    assert stable_headers(early) == stable_headers(late)


def test_a_miss_reads_the_generation_once(client, article, django_assert_num_queries):
    client.get("/api/v1/articles/a/")
    cache.clear()
    # The generation, its stored representation (none: rendering waits for a commit, which
    # never comes in this test), then the article, its conditions, topics and notices.
    with django_assert_num_queries(6):
        assert client.get("/api/v1/articles/a/").status_code == 200


def test_the_budget_is_counted_and_enforced_on_early_answers(client, article, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/minute"}
    first = client.get("/api/v1/articles/")
    assert first["RateLimit"].startswith('"anon";r=2;')
    assert client.get("/api/v1/articles/")["RateLimit"].startswith('"anon";r=1;')
    etag = first["ETag"]
    assert client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)["RateLimit"].startswith(
        '"anon";r=0;'
    )
    refused = client.get("/api/v1/articles/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    # Counted once, not once early and again by the stack.
    assert refused["RateLimit"].startswith('"anon";r=0;')


def test_credentials_bypass_early_answers_and_see_drafts_privately(client, article, editor):
    ArticleFactory(slug="draft", status=Status.DRAFT)
    anonymous = client.get("/api/v1/articles/")
    assert [item["slug"] for item in anonymous.json()["results"]] == ["a"]
    token = Token.objects.create(user=editor)
    with_token = client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token["Cache-Control"] == "private, no-store"
    assert "draft" in [item["slug"] for item in with_token.json()["results"]]
    client.force_login(editor)
    with_session = client.get("/api/v1/articles/")
    assert with_session["Cache-Control"] == "private, no-store"
    assert "draft" in [item["slug"] for item in with_session.json()["results"]]
    client.logout()
    # And the drafts seen with credentials were not stored for anybody else.
    assert client.get("/api/v1/articles/").content == anonymous.content


def test_a_wrong_token_is_still_refused_not_served_from_the_cache(client, article):
    client.get("/api/v1/articles/")
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_an_unknown_address_is_not_answered_early(client, article):
    client.get("/api/v1/articles/")
    assert client.get("/api/v1/articles/missing/").status_code == 404
    assert client.get("/api/v1/nowhere/").status_code == 404


def test_an_edit_is_seen_by_the_next_early_answer(client, article):
    client.get("/api/v1/articles/a/")
    assert client.get("/api/v1/articles/a/").json()["title"] == "Published"
    article.title = "Edited"
    article.save()
    assert client.get("/api/v1/articles/a/").json()["title"] == "Edited"


def change_made_by_another_process():
    """Change the title and move the generation on, without this process hearing of it."""
    Article.objects.filter(slug="a").update(title="Changed elsewhere")
    ContentVersion.objects.filter(pk=1).update(
        generation=F("generation") + 1,
        changed_at=F("changed_at") + datetime.timedelta(seconds=1),
    )


def later_by(seconds):
    """Move the clock to `seconds` after the remembered generation was read."""
    read_at, _ = content_version._remembered
    return mock.patch("api.public_answers.time.monotonic", return_value=read_at + seconds)


def test_another_process_s_change_is_served_within_the_stated_bound(
    client, article, settings, django_assert_num_queries
):
    settings.CONTENT_VERSION_MAX_AGE_MS = 1000
    client.get("/api/v1/articles/a/")
    change_made_by_another_process()
    # Within the bound: the remembered generation, and the answer stored at it.
    with later_by(0.9), django_assert_num_queries(0):
        assert client.get("/api/v1/articles/a/").json()["title"] == "Published"
    # Past it: read again, and the change is served.
    with later_by(1.0):
        assert client.get("/api/v1/articles/a/").json()["title"] == "Changed elsewhere"


def test_a_zero_bound_reads_the_generation_on_every_hit(
    client, article, settings, django_assert_num_queries
):
    settings.CONTENT_VERSION_MAX_AGE_MS = 0
    client.get("/api/v1/articles/a/")
    with django_assert_num_queries(1):
        assert client.get("/api/v1/articles/a/").status_code == 200
    change_made_by_another_process()
    assert client.get("/api/v1/articles/a/").json()["title"] == "Changed elsewhere"


def test_a_publish_date_that_has_come_is_not_waited_for(client, article):
    scheduled = ArticleFactory(slug="soon", scheduled=True)
    assert client.get("/api/v1/articles/").json()["count"] == 1
    assert client.get("/api/v1/articles/").json()["count"] == 1  # a remembered hit
    with clock_moved(days=8):
        listed = client.get("/api/v1/articles/").json()
    assert scheduled.slug in [item["slug"] for item in listed["results"]]
