"""Filters every content list shares: condition, topic, updated_since and ordering."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CONTENT_FACTORIES, ArticleFactory, ConditionFactory, TopicFactory
from tests.problems import assert_invalid_parameter

pytestmark = pytest.mark.django_db

TAG_FACTORIES = {"condition": ConditionFactory, "topic": TopicFactory}


def listed_slugs(client, resource, params):
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


@pytest.fixture(params=["condition", "topic"])
def tag_filter(request):
    """The query parameter, and the factory and content relation of the tags it filters by."""
    return request.param, TAG_FACTORIES[request.param], f"{request.param}s"


def test_filter_by_one_slug(client, content, tag_filter):
    resource, factory = content
    parameter, tag_factory, relation = tag_filter
    ptsd, ocd = tag_factory(slug="ptsd"), tag_factory(slug="ocd")
    matching = factory(**{relation: [ptsd]})
    factory(**{relation: [ocd]})
    factory()
    assert listed_slugs(client, resource, {parameter: "ptsd"}) == [matching.slug]


def test_filter_by_comma_separated_slugs_matches_any(client, content, tag_filter):
    resource, factory = content
    parameter, tag_factory, relation = tag_filter
    ptsd, ocd, pain = tag_factory(slug="ptsd"), tag_factory(slug="ocd"), tag_factory(slug="pain")
    first = factory(**{relation: [ptsd]})
    second = factory(**{relation: [ocd]})
    factory(**{relation: [pain]})
    assert listed_slugs(client, resource, {parameter: "ptsd,ocd"}) == sorted(
        [first.slug, second.slug]
    )


def test_item_with_two_matching_tags_is_listed_once(client, content, tag_filter):
    resource, factory = content
    parameter, tag_factory, relation = tag_filter
    item = factory(**{relation: [tag_factory(slug="ptsd"), tag_factory(slug="ocd")]})
    response = client.get(f"/api/v1/{resource}/", {parameter: "ptsd,ocd"})
    assert response.json()["count"] == 1
    assert [entry["slug"] for entry in response.json()["results"]] == [item.slug]


@pytest.mark.parametrize("value", ["no-such-slug", "no-such-slug,other-unknown"])
def test_unknown_slug_matches_nothing(client, content, tag_filter, value):
    resource, factory = content
    parameter, tag_factory, relation = tag_filter
    factory(**{relation: [tag_factory()]})
    factory()
    response = client.get(f"/api/v1/{resource}/", {parameter: value})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_unknown_slug_beside_a_known_one_does_not_widen_the_match(client, content, tag_filter):
    resource, factory = content
    parameter, tag_factory, relation = tag_filter
    item = factory(**{relation: [tag_factory(slug="ptsd")]})
    factory()
    assert listed_slugs(client, resource, {parameter: "ptsd,nope"}) == [item.slug]


def test_condition_and_topic_together_narrow(client, content):
    resource, factory = content
    ptsd, safety = ConditionFactory(slug="ptsd"), TopicFactory(slug="safety")
    both = factory(conditions=[ptsd], topics=[safety])
    factory(conditions=[ptsd])
    factory(topics=[safety])
    assert listed_slugs(client, resource, {"condition": "ptsd", "topic": "safety"}) == [both.slug]


def set_updated_at(item, moment):
    type(item).objects.filter(pk=item.pk).update(updated_at=moment)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2026-01-10T15:00:00Z", ["late"]),
        ("2026-01-10T20:00:00+05:00", ["late"]),  # 15:00 UTC
        ("2026-01-10T10:00:00-03:00", ["late"]),  # 13:00 UTC
        ("2026-01-10T12:00:00+00:00", ["early", "late"]),  # the same instant is included
        ("2026-01-10T17:30:00+05:30", ["early", "late"]),  # 12:00 UTC
        ("2026-01-10T18:00:01Z", []),
        ("2026-01-10T12:00:00", ["early", "late"]),  # no offset: UTC
        ("2026-01-10", ["early", "late"]),
        ("2026-01-10T12:00:00.000001Z", ["late"]),
    ],
)
def test_updated_since_keeps_items_changed_at_or_after(client, content, since, expected):
    resource, factory = content
    items = {"early": factory(), "late": factory()}
    set_updated_at(items["early"], datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC))
    set_updated_at(items["late"], datetime.datetime(2026, 1, 10, 18, tzinfo=datetime.UTC))
    listed = listed_slugs(client, resource, {"updated_since": since})
    assert listed == sorted(items[name].slug for name in expected)


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-01-01T25:00:00Z",
        "2026-01-01T00:00:00+25:00",
        "1700000000",
        "",
        "9999-12-31T23:00:00-05:00",  # past year 9999 once in UTC
        "0001-01-01T00:00:00+05:00",  # before year 1 once in UTC
    ],
)
def test_invalid_updated_since_is_400(client, value):
    for resource in ("articles", "faqs", "research", "conditions", "topics"):
        response = client.get(f"/api/v1/{resource}/", {"updated_since": value})
        # An empty value too: leave the parameter out to mean "any time".
        assert_invalid_parameter(response, "updated_since")


def test_updated_since_on_tags(client):
    old, new = ConditionFactory(), ConditionFactory()
    set_updated_at(old, timezone.now() - datetime.timedelta(days=30))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert listed_slugs(client, "conditions", {"updated_since": since}) == [new.slug]


# For each documented ordering field: the attributes of three items, in ascending order.
ORDERING_VALUES = {
    "published_at": [
        {"published_at": timezone.now() - datetime.timedelta(days=days)} for days in (3, 2, 1)
    ],
    "updated_at": [{}, {}, {}],  # set after saving, below
    "title": [{"title": "Alpha"}, {"title": "Bravo"}, {"title": "Charlie"}],
    "reading_time_minutes": [{"body": "word " * n} for n in (10, 300, 700)],
    "order": [{"order": n} for n in (1, 2, 3)],
    "question": [{"question": q} for q in ("Are you open?", "Can I drive?", "Does it hurt?")],
    "year": [{"year": y} for y in (1999, 2010, 2020)],
    "evidence_level": [{"evidence_level": level} for level in ("1", "3", "5")],
}
ORDERING_FIELDS = {
    "articles": ["published_at", "updated_at", "title", "reading_time_minutes"],
    "faqs": ["order", "published_at", "updated_at", "question"],
    "research": ["published_at", "updated_at", "year", "title", "evidence_level"],
}
ORDERING_CASES = [
    (resource, f"{sign}{field}")
    for resource, fields in ORDERING_FIELDS.items()
    for field in fields
    for sign in ("", "-")
]


@pytest.mark.parametrize(("resource", "ordering"), ORDERING_CASES)
def test_ordering_on_each_documented_field(client, resource, ordering):
    factory = CONTENT_FACTORIES[resource]
    field = ordering.lstrip("-")
    items = [None] * 3
    # Created out of order, so neither the default order nor creation order passes by chance.
    for index in (1, 2, 0):
        items[index] = factory(**ORDERING_VALUES[field][index])
        if field == "updated_at":
            set_updated_at(items[index], datetime.datetime(2025, index + 1, 1, tzinfo=datetime.UTC))
    expected = [item.slug for item in items]
    if ordering.startswith("-"):
        expected.reverse()
    response = client.get(f"/api/v1/{resource}/", {"ordering": ordering})
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == expected


@pytest.mark.parametrize(
    ("resource", "value"),
    [
        ("articles", "body"),
        ("articles", "year"),
        ("faqs", "title"),
        ("research", "reading_time_minutes"),
        ("research", "status"),
        ("conditions", "published_at"),
        ("topics", "-slugg"),
        ("articles", "--title"),
        ("articles", "title,nope"),
    ],
)
def test_invalid_ordering_is_400(client, resource, value):
    assert_invalid_parameter(client.get(f"/api/v1/{resource}/", {"ordering": value}), "ordering")


def test_ordering_by_several_fields(client):
    b_old = ArticleFactory(title="B", published_at="2025-01-01T00:00:00Z")
    a = ArticleFactory(title="A", published_at="2025-03-01T00:00:00Z")
    b_new = ArticleFactory(title="B", published_at="2025-02-01T00:00:00Z")
    response = client.get("/api/v1/articles/", {"ordering": "title,-published_at"})
    assert [item["slug"] for item in response.json()["results"]] == [a.slug, b_new.slug, b_old.slug]
