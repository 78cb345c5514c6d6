"""Conditions and topics: the vocabulary, with how much published content carries each tag."""

import pytest

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TAG_FIELDS = {
    "slug",
    "name",
    "other_names",
    "content_counts",
    "updated_at",
    "language",
    "is_fallback",
    "translations",
}
TAGS = [("conditions", ConditionFactory), ("topics", TopicFactory)]


@pytest.mark.parametrize(("resource", "factory"), TAGS)
def test_list_is_by_name_and_compact(client, resource, factory):
    factory(name="Zeta", slug="zeta")
    factory(name="Alpha", slug="alpha", other_names=["A"])
    response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["slug"] for item in results] == ["alpha", "zeta"]
    # A condition may have an image; a topic has none.
    assert set(results[0]) - {"image"} == TAG_FIELDS
    assert ("image" in results[0]) == (resource == "conditions")
    assert results[0]["other_names"] == ["A"]


def test_condition_detail_has_description_clinical_codes_and_notices(client):
    condition = ConditionFactory(
        slug="trd",
        name="Treatment-resistant depression",
        description="Depression that has not responded.",
        icd10cm="F33.2",
        snomed_ct="",
        mesh="D061218",
    )
    response = client.get("/api/v1/conditions/trd/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == TAG_FIELDS | {
        "description",
        "clinical_codes",
        "safety_notices",
        "hub",
        "image",
    }
    assert data["image"] is None
    assert data["name"] == condition.name
    assert data["description"] == "Depression that has not responded."
    assert data["clinical_codes"] == {"icd10cm": "F33.2", "snomed_ct": None, "mesh": "D061218"}
    assert data["safety_notices"] == []


def test_topic_detail_has_description(client):
    TopicFactory(slug="nmda", name="NMDA receptors", description="Glutamate receptors.")
    response = client.get("/api/v1/topics/nmda/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == TAG_FIELDS | {"description", "hub"}
    assert data["description"] == "Glutamate receptors."


def test_condition_detail_lists_its_notices_and_those_shown_everywhere(client):
    condition = ConditionFactory(slug="bipolar")
    other = ConditionFactory()
    everywhere = SafetyNoticeFactory(applies_everywhere=True, order=2)
    own = SafetyNoticeFactory(conditions=[condition], order=1)
    SafetyNoticeFactory(conditions=[other])
    SafetyNoticeFactory(conditions=[condition], is_active=False)
    notices = client.get("/api/v1/conditions/bipolar/").json()["safety_notices"]
    assert [notice["slug"] for notice in notices] == [own.slug, everywhere.slug]


@pytest.mark.parametrize(("resource", "factory"), TAGS)
def test_content_counts_count_each_published_type(client, resource, factory):
    tag = factory()
    other = factory()
    relation = resource  # "conditions" or "topics", the name of the link on content too
    ArticleFactory.create_batch(2, **{relation: [tag]})
    FAQFactory(**{relation: [tag, other]})
    ResearchSummaryFactory.create_batch(3, **{relation: [tag]})
    ArticleFactory(**{relation: [other]})
    expected = {
        tag.slug: {"articles": 2, "faqs": 1, "research": 3, "glossary": 0},
        other.slug: {"articles": 1, "faqs": 1, "research": 0, "glossary": 0},
    }
    listed = {
        item["slug"]: item["content_counts"]
        for item in client.get(f"/api/v1/{resource}/").json()["results"]
    }
    assert listed == expected
    detailed = client.get(f"/api/v1/{resource}/{tag.slug}/").json()["content_counts"]
    assert detailed == expected[tag.slug]


@pytest.mark.parametrize(("resource", "factory"), TAGS)
def test_tags_without_content_count_zero(client, resource, factory):
    tag = factory()
    data = client.get(f"/api/v1/{resource}/{tag.slug}/").json()
    assert data["content_counts"] == {"articles": 0, "faqs": 0, "research": 0, "glossary": 0}


@pytest.mark.parametrize(("resource", "factory"), TAGS)
@pytest.mark.parametrize("ordering", ["name", "-name", "updated_at", "-updated_at"])
def test_ordering(client, resource, factory, ordering):
    field = ordering.lstrip("-")
    values = {
        "name": ["Anxiety", "Bipolar disorder", "Chronic pain"],
        "updated_at": ["2025-01-01T00:00Z", "2025-02-01T00:00Z", "2025-03-01T00:00Z"],
    }[field]
    tags = [None] * 3
    for index in (1, 2, 0):
        tags[index] = factory(**({"name": values[index]} if field == "name" else {}))
        if field == "updated_at":
            type(tags[index]).objects.filter(pk=tags[index].pk).update(updated_at=values[index])
    expected = [tag.slug for tag in tags]
    if ordering.startswith("-"):
        expected.reverse()
    response = client.get(f"/api/v1/{resource}/", {"ordering": ordering})
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == expected
