"""with_tags() puts each item's tags on it, however the QuerySet is read."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, ConditionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    conditions = [ConditionFactory(name=name) for name in ("Pain", "Anxiety", "Migraine")]
    topics = [TopicFactory(name=name) for name in ("Safety", "Dosing")]
    return [
        ArticleFactory(conditions=conditions[: n + 1], topics=topics[n % 2 :]) for n in range(3)
    ]


def tag_names(item):
    return [tag.name for tag in item.condition_tags], [tag.name for tag in item.topic_tags]


def expected(item):
    return (
        list(item.conditions.order_by("name").values_list("name", flat=True)),
        list(item.topics.order_by("name").values_list("name", flat=True)),
    )


@pytest.mark.parametrize("chunk_size", [None, 2])
def test_tags_in_the_tag_models_order_when_listed_or_iterated(articles, chunk_size):
    queryset = Article.objects.with_tags().order_by("pk")
    read = list(queryset) if chunk_size is None else list(queryset.iterator(chunk_size))
    assert [tag_names(item) for item in read] == [expected(item) for item in articles]


def test_a_single_item_and_an_untagged_one(articles):
    untagged = ArticleFactory(conditions=[], topics=[])
    assert tag_names(Article.objects.with_tags().get(pk=untagged.pk)) == ([], [])
    item = Article.objects.with_tags().get(pk=articles[2].pk)
    assert tag_names(item) == expected(item)
    assert item.condition_tags[0].pk == item.conditions.get(name="Anxiety").pk


def test_only_the_kinds_asked_for(articles):
    item = Article.objects.with_tags(topics=False).first()
    assert hasattr(item, "condition_tags")
    assert not hasattr(item, "topic_tags")
