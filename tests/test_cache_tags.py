"""Answers name what they show in Cache-Tag and Surrogate-Key, for a CDN's purge by tag."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, ConditionFactory, FAQFactory, TopicFactory

pytestmark = pytest.mark.django_db


def tags(answer):
    cache_tag = answer["Cache-Tag"].split(",")
    assert answer["Surrogate-Key"].split(" ") == cache_tag
    return cache_tag


def test_a_detail_names_its_item_and_tags_a_list_its_collection(client):
    ArticleFactory(
        slug="nmda",
        conditions=[ConditionFactory(slug="ptsd"), ConditionFactory(slug="depression")],
        topics=[TopicFactory(slug="glutamate")],
    )
    FAQFactory(slug="does-it-hurt")
    assert set(tags(client.get("/api/v1/articles/nmda/"))) == {
        "article:nmda",
        "condition:ptsd",
        "condition:depression",
        "topic:glutamate",
    }
    assert tags(client.get("/api/v1/faqs/does-it-hurt/")) == ["faq:does-it-hurt"]
    assert tags(client.get("/api/v1/articles/")) == ["articles"]
    assert tags(client.get("/api/v1/research/")) == ["research"]
    assert tags(client.get("/api/v1/conditions/")) == ["conditions"]
    assert tags(client.get("/api/v1/conditions/ptsd/")) == ["condition:ptsd"]
    assert tags(client.get("/api/v1/topics/glutamate/")) == ["topic:glutamate"]
    assert tags(client.get("/api/v1/sync/")) == ["sync"]


def test_a_cached_answer_keeps_its_tags_and_a_304_costs_nothing_more(
    client, django_assert_max_num_queries
):
    ArticleFactory(slug="cached", conditions=[ConditionFactory(slug="pain")])
    first = client.get("/api/v1/articles/cached/")
    with django_assert_max_num_queries(1):
        again = client.get("/api/v1/articles/cached/")
    assert tags(again) == tags(first) == ["article:cached", "condition:pain"]
    with django_assert_max_num_queries(1):
        unchanged = client.get("/api/v1/articles/cached/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304


def test_errors_and_drafts_carry_no_tags(client):
    ArticleFactory(slug="draft", draft=True)
    missing = client.get("/api/v1/articles/draft/")
    assert missing.status_code == 404
    assert "Cache-Tag" not in missing
    assert "Surrogate-Key" not in missing
    assert "Cache-Tag" not in client.get("/api/v1/articles/?page_size=0")


def test_unicode_free_slugs_make_safe_header_values(editor):
    api = APIClient()
    api.force_authenticate(editor)
    ArticleFactory(slug="a-b_c-1")
    answer = api.get("/api/v1/articles/a-b_c-1/")
    assert tags(answer) == ["article:a-b_c-1"]
