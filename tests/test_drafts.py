"""
Only published content whose publish date has passed is public.

Drafts, items in review, archived items and items scheduled for later are invisible
everywhere: in lists, details, filters and the counts on conditions and topics.
"""

import pytest
from django.utils import timezone

from tests.factories import HIDDEN_STATES, ConditionFactory, ResearchSummaryFactory, TopicFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(params=HIDDEN_STATES)
def state(request):
    """Each factory trait of an item that is not public."""
    return request.param


def listed_slugs(client, resource, **params):
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["results"]]


def test_hidden_items_are_not_listed(client, content, state):
    resource, factory = content
    public = factory()
    factory(**{state: True})
    assert listed_slugs(client, resource) == [public.slug]
    assert client.get(f"/api/v1/{resource}/").json()["count"] == 1


def test_hidden_item_detail_is_404(client, content, state):
    resource, factory = content
    hidden = factory(**{state: True})
    assert_problem(client.get(f"/api/v1/{resource}/{hidden.slug}/"), 404)


def test_hidden_items_are_not_matched_by_filters(client, content, state):
    resource, factory = content
    condition, topic = ConditionFactory(), TopicFactory()
    factory(**{state: True}, conditions=[condition], topics=[topic])
    assert listed_slugs(client, resource, condition=condition.slug) == []
    assert listed_slugs(client, resource, topic=topic.slug) == []
    assert listed_slugs(client, resource, updated_since="2000-01-01T00:00:00Z") == []


def test_hidden_research_is_not_matched_by_research_filters(client, state):
    ResearchSummaryFactory(**{state: True}, study_design="rct", evidence_level="2", year=2000)
    params = {"study_design": "rct", "evidence_level": "2", "year_min": 2000, "year_max": 2000}
    assert listed_slugs(client, "research", **params) == []


@pytest.mark.parametrize("tags", ["conditions", "topics"])
def test_hidden_items_are_not_counted_on_tags(client, content, state, tags):
    resource, factory = content
    tag = (ConditionFactory if tags == "conditions" else TopicFactory)()
    factory(**{tags: [tag]})
    factory(**{state: True}, **{tags: [tag]})
    detail = client.get(f"/api/v1/{tags}/{tag.slug}/").json()
    (listed,) = client.get(f"/api/v1/{tags}/").json()["results"]
    # The counts are keyed like the content resources' URL segments.
    assert detail["content_counts"][resource] == 1
    assert listed["content_counts"][resource] == 1


def test_scheduled_item_becomes_public_once_its_date_passes(client, content):
    resource, factory = content
    item = factory(scheduled=True)
    assert client.get(f"/api/v1/{resource}/{item.slug}/").status_code == 404
    type(item).objects.filter(pk=item.pk).update(published_at=timezone.now())
    assert client.get(f"/api/v1/{resource}/{item.slug}/").status_code == 200
