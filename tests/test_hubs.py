"""
Each condition's and topic's detail is a hub: the newest five published items of each type
tagged with it, in a fixed number of queries however much content there is.
"""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    CONTENT_FACTORIES,
    HIDDEN_STATES,
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TAGS = {"conditions": ConditionFactory, "topics": TopicFactory}
TYPES = {"articles": "article", "faqs": "faq", "research": "research", "glossary": "glossary"}
TITLES = {"faqs": "question", "glossary": "term"}


@pytest.fixture(params=sorted(TAGS))
def tag_resource(request):
    """Each tag resource in turn: its URL segment and the factory of its tags."""
    return request.param, TAGS[request.param]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def hub(client, tags, tag):
    response = client.get(f"/api/v1/{tags}/{tag.slug}/")
    assert response.status_code == 200
    return response.json()["hub"]


def test_hub_has_every_group_even_when_empty(client, tag_resource):
    tags, factory = tag_resource
    empty = {"articles": [], "faqs": [], "research": [], "glossary": []}
    assert hub(client, tags, factory()) == empty


def test_hub_lists_the_newest_five_of_each_type(client, tag_resource):
    tags, factory = tag_resource
    tag, other = factory(), factory()
    expected = {}
    for group, content_factory in CONTENT_FACTORIES.items():
        items = [content_factory(**{tags: [tag]}, published_at=days_ago(n)) for n in range(1, 8)]
        content_factory(**{tags: [other]})
        content_factory()
        expected[group] = [
            {
                "type": TYPES[group],
                "slug": item.slug,
                "title": getattr(item, TITLES.get(group, "title")),
                "url": f"http://testserver/api/v1/{group}/{item.slug}/",
            }
            for item in items[:5]
        ]
    assert hub(client, tags, tag) == expected


def test_condition_hub_comes_with_its_description(client):
    condition = ConditionFactory(description="Low mood for weeks.")
    article = ArticleFactory(conditions=[condition])
    data = client.get(f"/api/v1/conditions/{condition.slug}/").json()
    assert data["description"] == "Low mood for weeks."
    assert [item["slug"] for item in data["hub"]["articles"]] == [article.slug]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_are_never_in_hubs(client, tag_resource, state):
    tags, factory = tag_resource
    tag = factory()
    for content_factory in CONTENT_FACTORIES.values():
        content_factory(**{state: True}, **{tags: [tag]})
    public = FAQFactory(**{tags: [tag]})
    assert hub(client, tags, tag) == {
        "articles": [],
        "faqs": [
            {
                "type": "faq",
                "slug": public.slug,
                "title": public.question,
                "url": f"http://testserver/api/v1/faqs/{public.slug}/",
            }
        ],
        "research": [],
        "glossary": [],
    }


def test_hubs_are_only_on_details(client, tag_resource):
    tags, factory = tag_resource
    factory()
    (item,) = client.get(f"/api/v1/{tags}/").json()["results"]
    assert "hub" not in item


@pytest.mark.parametrize(("tags", "queries"), [("conditions", 7), ("topics", 6)])
def test_hub_queries_do_not_grow_with_content(client, django_assert_num_queries, tags, queries):
    tag = TAGS[tags]()
    sizes = []
    for batch in (1, 12):
        for factory in CONTENT_FACTORIES.values():
            factory.create_batch(batch, **{tags: [tag]})
        # The tag with its counts, a condition's notices, then one per content type.
        with django_assert_num_queries(queries):
            data = hub(client, tags, tag)
        sizes.append([len(items) for items in data.values()])
    assert sizes == [[1, 1, 1, 1], [5, 5, 5, 5]]
