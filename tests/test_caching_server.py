"""
Rendered answers are cached server-side and dropped by every change, at once, everywhere.

A hit costs no query (the content generation is remembered, see api.public_answers) and
runs no serializer. Invalidation needs no deletion: the generation is part of the key.
"""

import os
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles.serializers import ArticleSerializer
from content.models import Status
from tests.factories import ArticleFactory, ConditionFactory, SafetyNoticeFactory
from tests.timetravel import clock_moved

pytestmark = pytest.mark.django_db

REDIS_URL = f"redis://127.0.0.1:6379/{3 + (connection.vendor == 'postgresql')}"
# CI runs the suite on SQLite and PostgreSQL at once against one Redis: each run has its
# own database number (flushed by clear()) and each process its own key prefix.
KEY_PREFIX = f"ketamine-api-tests-{os.getpid()}"


@pytest.fixture
def article():
    condition = ConditionFactory(slug="ptsd", name="PTSD")
    SafetyNoticeFactory(conditions=[condition])
    return ArticleFactory(slug="a", title="Before", conditions=[condition])


def serializers_refused():
    refuse = mock.Mock(side_effect=AssertionError("the serializer ran"))
    return mock.patch.multiple(
        "rest_framework.serializers.Serializer",
        to_representation=refuse,
    )


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/articles/a/"])
def test_a_hit_costs_no_query_and_no_serializer(client, article, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0), serializers_refused():
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert second["ETag"] == first["ETag"]


def test_head_is_served_from_the_cache_too(client, article, django_assert_num_queries):
    client.get("/api/v1/articles/")
    with django_assert_num_queries(0):
        assert client.head("/api/v1/articles/").status_code == 200


def test_answers_with_credentials_are_not_served_from_the_cache(client, article):
    client.get("/api/v1/articles/")  # stored
    user = get_user_model().objects.create_user("editor", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    with mock.patch.object(ArticleSerializer, "to_representation", return_value={}) as render:
        client.get("/api/v1/articles/")
    assert render.called


def test_nothing_but_200s_are_stored(client, article):
    hidden = ArticleFactory(scheduled=True)
    assert client.get(f"/api/v1/articles/{hidden.slug}/").status_code == 404
    # Bypass the signals: same generation, so a stored 404 would be served again.
    type(hidden).objects.filter(pk=hidden.pk).update(published_at=timezone.now())
    assert client.get(f"/api/v1/articles/{hidden.slug}/").status_code == 200


def title_of(client):
    return client.get("/api/v1/articles/a/").json()["title"]


def condition_name_in(client):
    return client.get("/api/v1/articles/").json()["results"][0]["conditions"][0]["name"]


def listed(client):
    return [item["slug"] for item in client.get("/api/v1/articles/").json()["results"]]


def test_an_edit_invalidates_at_once(client, article):
    assert title_of(client) == "Before"
    article.title = "After"
    article.save()
    assert title_of(client) == "After"


def test_a_tag_rename_invalidates_the_items_showing_it(client, article):
    assert condition_name_in(client) == "PTSD"
    condition = article.conditions.get()
    condition.name = "Post-traumatic stress"
    condition.save()
    assert condition_name_in(client) == "Post-traumatic stress"


def test_publish_and_unpublish_invalidate(client, article):
    draft = ArticleFactory(draft=True)
    assert listed(client) == ["a"]
    draft.status = Status.PUBLISHED
    draft.save()
    assert set(listed(client)) == {"a", draft.slug}
    article.status = Status.DRAFT
    article.save()
    assert listed(client) == [draft.slug]


def test_a_delete_invalidates(client, article):
    assert listed(client) == ["a"]
    article.delete()
    assert listed(client) == []


def test_a_passing_publish_date_invalidates(client, article):
    scheduled = ArticleFactory(scheduled=True)
    assert listed(client) == ["a"]
    with clock_moved(days=1, seconds=1):
        assert listed(client) == [scheduled.slug, "a"]


def redis_available():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:  # any failure to connect means: no Redis to test against
        return False


REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": KEY_PREFIX,
    }
}


@pytest.mark.skipif(not redis_available(), reason=f"needs Redis at {REDIS_URL}")
@override_settings(CACHES=REDIS_CACHES)
def test_redis_shares_answers_and_their_invalidation_between_processes(
    client, article, django_assert_num_queries
):
    """Two cache clients on one Redis stand for two app processes."""
    caches["default"].clear()  # override_settings built a client for the Redis settings
    other_process = RedisCache(REDIS_URL, {"KEY_PREFIX": KEY_PREFIX})
    try:
        response = client.get("/api/v1/articles/a/")
        (stored,) = [key for key in other_process._cache.get_client().keys("*") if b"answer" in key]
        key = stored.decode().split(":", 2)[2]
        assert other_process.get(key)[0] == response.content
        with django_assert_num_queries(0):
            assert client.get("/api/v1/articles/a/").content == response.content
        # An edit is seen at once: it moved the generation in the database (and in this
        # process's memory; tests/test_caching_early_answers.py bounds how late others see it).
        article.title = "After"
        article.save()
        assert title_of(client) == "After"
    finally:
        caches["default"].clear()
