"""
Each content detail lists related items of every type: those sharing the most conditions
and topics first, then the newest, published only, at most six, in constant queries.
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
    ResearchSummaryFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TYPES = {"articles": "article", "faqs": "faq", "research": "research"}


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def related(client, resource, item):
    response = client.get(f"/api/v1/{resource}/{item.slug}/")
    assert response.status_code == 200
    return response.json()["related"]


def slugs(references):
    return [reference["slug"] for reference in references]


@pytest.fixture
def tags():
    return [ConditionFactory() for _ in range(2)], [TopicFactory() for _ in range(2)]


def test_most_shared_tags_first_across_types(client, tags):
    (c1, c2), (t1, t2) = tags
    item = ArticleFactory(conditions=[c1, c2], topics=[t1, t2])
    three = FAQFactory(conditions=[c1, c2], topics=[t1])
    one = ArticleFactory(conditions=[c2])
    four = ResearchSummaryFactory(conditions=[c1, c2], topics=[t1, t2])
    two = ResearchSummaryFactory(topics=[t1, t2, TopicFactory()])
    ArticleFactory(conditions=[ConditionFactory()], topics=[TopicFactory()])  # shares nothing
    ArticleFactory()  # untagged
    assert slugs(related(client, "articles", item)) == [four.slug, three.slug, two.slug, one.slug]


def test_ties_go_to_the_newest(client, tags):
    (condition, _), _ = tags
    item = FAQFactory(conditions=[condition])
    old = ArticleFactory(conditions=[condition], published_at=days_ago(30))
    new = ResearchSummaryFactory(conditions=[condition], published_at=days_ago(1))
    middle = FAQFactory(conditions=[condition], published_at=days_ago(10))
    assert slugs(related(client, "faqs", item)) == [new.slug, middle.slug, old.slug]


def test_references_name_type_slug_title_and_api_address(client, tags):
    (condition, _), _ = tags
    item = ResearchSummaryFactory(conditions=[condition])
    article = ArticleFactory(conditions=[condition], title="How it works", published_at=days_ago(3))
    faq = FAQFactory(conditions=[condition], question="Does it hurt?", published_at=days_ago(2))
    study = ResearchSummaryFactory(
        conditions=[condition], title="A trial", published_at=days_ago(1)
    )
    assert related(client, "research", item) == [
        {
            "type": "research",
            "slug": study.slug,
            "title": "A trial",
            "url": f"http://testserver/api/v1/research/{study.slug}/",
        },
        {
            "type": "faq",
            "slug": faq.slug,
            "title": "Does it hurt?",
            "url": f"http://testserver/api/v1/faqs/{faq.slug}/",
        },
        {
            "type": "article",
            "slug": article.slug,
            "title": "How it works",
            "url": f"http://testserver/api/v1/articles/{article.slug}/",
        },
    ]


def test_reference_urls_lead_to_the_items(client, tags):
    (condition, _), _ = tags
    item = ArticleFactory(conditions=[condition])
    for factory in CONTENT_FACTORIES.values():
        factory(conditions=[condition])
    for reference in related(client, "articles", item):
        response = client.get(reference["url"])
        assert response.status_code == 200
        assert response.json()["slug"] == reference["slug"]


def test_an_item_is_not_related_to_itself(client, content, tags):
    resource, factory = content
    (condition, _), _ = tags
    item = factory(conditions=[condition])
    assert related(client, resource, item) == []
    sibling = factory(conditions=[condition])
    assert slugs(related(client, resource, item)) == [sibling.slug]


def test_untagged_item_has_no_related_items(client, content, tags):
    resource, factory = content
    item = factory()
    for other in CONTENT_FACTORIES.values():
        other()
    assert related(client, resource, item) == []


def test_at_most_six_the_best_of_every_type(client, tags):
    (c1, c2), (t1, _) = tags
    item = ArticleFactory(conditions=[c1, c2], topics=[t1])
    best = [
        factory(conditions=[c1, c2], topics=[t1], published_at=days_ago(n))
        for n, factory in enumerate([FAQFactory] * 4 + [ResearchSummaryFactory] * 2, start=1)
    ]
    for factory in CONTENT_FACTORIES.values():
        factory.create_batch(5, conditions=[c1])
    assert slugs(related(client, "articles", item)) == [entry.slug for entry in best]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_are_never_related(client, content, tags, state):
    resource, factory = content
    (condition, _), (topic, _) = tags
    item = factory(conditions=[condition], topics=[topic])
    for other in CONTENT_FACTORIES.values():
        other(**{state: True}, conditions=[condition], topics=[topic])
    public = ResearchSummaryFactory(conditions=[condition])
    assert slugs(related(client, resource, item)) == [public.slug]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_sharing_more_tags_do_not_crowd_out_public_ones(client, tags, state):
    # Each type's cut-off (the sixth best count) is taken among its published items only:
    # seven hidden best matches per type leave the six public lesser ones in place.
    (c1, c2), (t1, t2) = tags
    item = ArticleFactory(conditions=[c1, c2], topics=[t1, t2])
    for factory in CONTENT_FACTORIES.values():
        factory.create_batch(7, **{state: True}, conditions=[c1, c2], topics=[t1, t2])
    public = [
        factory(conditions=[c1], topics=[t1], published_at=days_ago(n))
        for n, factory in enumerate([ArticleFactory] * 3 + [FAQFactory] * 3, start=1)
    ]
    ResearchSummaryFactory(conditions=[c2], published_at=days_ago(30))
    assert slugs(related(client, "articles", item)) == [entry.slug for entry in public]


def test_the_sixth_best_ties_with_lesser_newer_items_of_its_type(client, tags):
    # Items tied with a type's sixth best count all stay candidates: the newest win.
    (c1, c2), (t1, _) = tags
    item = FAQFactory(conditions=[c1, c2], topics=[t1])
    best = ArticleFactory(conditions=[c1, c2], topics=[t1], published_at=days_ago(50))
    tied = [ArticleFactory(conditions=[c1, c2], published_at=days_ago(n)) for n in range(1, 11)]
    ArticleFactory(conditions=[c1], published_at=days_ago(0))
    expected = [best.slug] + [entry.slug for entry in tied[:5]]
    assert slugs(related(client, "faqs", item)) == expected


@pytest.mark.parametrize("resource", sorted(TYPES))
def test_queries_do_not_grow_with_related_items(client, django_assert_num_queries, resource):
    conditions = [ConditionFactory() for _ in range(3)]
    topics = [TopicFactory() for _ in range(3)]
    item = CONTENT_FACTORIES[resource](conditions=conditions, topics=topics)
    counts = []
    for batch in (1, 10):
        for factory in CONTENT_FACTORIES.values():
            factory.create_batch(batch, conditions=conditions[:2], topics=topics[1:])
        # The generation, its stored representation (none: nothing is rendered in this
        # test), the item, its conditions, its topics, the safety notices, and one for the
        # related items of every type.
        with django_assert_num_queries(7):
            counts.append(len(related(client, resource, item)))
    # One of each type at first: all of them but the item itself, which is only of its own.
    assert counts == [len(CONTENT_FACTORIES), 6]
