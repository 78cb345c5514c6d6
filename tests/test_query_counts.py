"""
Each list and detail runs a fixed number of queries, whatever the number of items and tags.

The budgets are pinned exactly: a change that adds a query per page or per item fails here
first. Every public answer starts by reading the content generation (api/conditional.py).
Lists: then a count, the page, and one query per kind of tag. Content details: then the item,
one per kind of tag, the safety notices and one for the related items of every type.
Condition and topic details: the tag (with its counts), a condition's safety notices, and one
per content type for the hub.

Anonymous plain list pages and details of articles, FAQs and research summaries are answered
from their stored representations (representations/): the generation and one query. Until an
item is rendered, that query finds nothing and the long way follows it.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.public_answers import content_version
from enquiries.models import Enquiry
from tests.conftest import shared_rows
from tests.enquiries import enquiry_body, send
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    GlossaryEntryFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)
from tests.test_enquiries_privacy import make_enquiry

pytestmark = pytest.mark.django_db

CONTENT = {
    "articles": ArticleFactory,
    "faqs": FAQFactory,
    "research": ResearchSummaryFactory,
    "glossary": GlossaryEntryFactory,
}
LIST_QUERIES = {
    "articles": 5,
    "faqs": 5,
    "research": 5,
    "glossary": 5,
    "conditions": 3,
    "topics": 3,
}
# Answered from representations: the generation and the page's or the item's stored JSON.
STORED = {"articles", "faqs", "research"}
STORED_QUERIES = 2
DETAIL_QUERIES = {
    # The stored representation looked for (none yet), then the long way's 6.
    "articles": 7,
    "faqs": 7,
    "research": 7,
    "glossary": 6,
    "conditions": 7,
    "topics": 6,
}
# Parameters that make every filter, ordering and page-size path run.
FILTERED = {
    "articles": {"condition": "c-0,c-1", "topic": "t-0", "ordering": "-updated_at"},
    "faqs": {"condition": "c-0", "topic": "t-0,t-1", "updated_since": "2000-01-01T00:00Z"},
    "research": {
        "condition": "c-0",
        "study_design": "rct",
        "evidence_level": "1,2",
        "year_min": 1990,
        "year_max": 2030,
    },
    "glossary": {"topic": "t-0", "condition": "c-1", "ordering": "-term"},
    "conditions": {"ordering": "-name", "updated_since": "2000-01-01T00:00Z"},
    "topics": {"ordering": "updated_at"},
}


def make_tags():
    SafetyNoticeFactory(applies_everywhere=True)
    conditions = [ConditionFactory(slug=f"c-{n}") for n in range(4)]
    for condition in conditions[:2]:
        SafetyNoticeFactory(conditions=[condition])
    return conditions, [TopicFactory(slug=f"t-{n}") for n in range(3)]


@pytest.fixture
def tags():
    return make_tags()


def create_content(count, tags):
    conditions, topics = tags
    for factory in CONTENT.values():
        factory.create_batch(count, conditions=conditions, topics=topics)


def fetch_list(client, django_assert_num_queries, resource, params):
    """Fetch the list within its query budget; return how many items it counted."""
    stored = resource in STORED and not params
    with django_assert_num_queries(STORED_QUERIES if stored else LIST_QUERIES[resource]):
        response = client.get(f"/api/v1/{resource}/", {"page_size": 100, **params})
    assert response.status_code == 200
    return response.json()["count"]


@pytest.fixture(scope="class", params=[1, 30], ids=["1-item", "30-items"])
def catalogue(request, django_db_setup, django_db_blocker):
    """The tags, and this many items of each content type tagged with all of them: made once
    for the tests of a class, which only read them. Return the number of items of each type."""
    with shared_rows(django_db_blocker):
        create_content(request.param, make_tags())
        call_command("render_representations", verbosity=0)
        yield request.param


class TestAsTheCatalogueGrows:
    """The same budgets with one item of each type and with thirty, every tag on each."""

    @pytest.mark.parametrize("resource", sorted(LIST_QUERIES))
    @pytest.mark.parametrize("filtered", [False, True], ids=["plain", "filtered"])
    def test_list_queries_do_not_grow_with_items(
        self, client, django_assert_num_queries, catalogue, resource, filtered
    ):
        params = FILTERED[resource] if filtered else {}
        count = fetch_list(client, django_assert_num_queries, resource, params)
        if resource in CONTENT:
            assert count == catalogue

    @pytest.mark.parametrize("resource", ["conditions", "topics"])
    def test_tag_detail_queries_do_not_grow_with_content(
        self, client, django_assert_num_queries, catalogue, resource
    ):
        slug = "c-0" if resource == "conditions" else "t-0"
        with django_assert_num_queries(DETAIL_QUERIES[resource]):
            response = client.get(f"/api/v1/{resource}/{slug}/")
        assert response.status_code == 200
        assert response.json()["content_counts"] == dict.fromkeys(CONTENT, catalogue)


@pytest.mark.parametrize("resource", sorted(CONTENT))
def test_content_detail_queries_do_not_grow_with_tags_or_notices(
    client, django_assert_num_queries, tags, resource
):
    factory = CONTENT[resource]
    conditions, topics = tags
    sparse = factory(conditions=conditions[:1])
    rich = factory(conditions=conditions, topics=topics)
    for item in (sparse, rich):
        with django_assert_num_queries(DETAIL_QUERIES[resource]):
            response = client.get(f"/api/v1/{resource}/{item.slug}/")
        assert response.status_code == 200
    assert len(response.json()["safety_notices"]) == 3
    if resource in STORED:
        call_command("render_representations", verbosity=0)
        for item in (sparse, rich):
            cache.clear()
            content_version.forget()
            with django_assert_num_queries(STORED_QUERIES):
                stored = client.get(f"/api/v1/{resource}/{item.slug}/")
            assert stored.status_code == 200
        assert stored.content == response.content


@pytest.mark.parametrize("resource", sorted(LIST_QUERIES))
def test_empty_list_costs_no_more_than_a_full_one(client, django_assert_max_num_queries, resource):
    with django_assert_max_num_queries(LIST_QUERIES[resource]):
        assert client.get(f"/api/v1/{resource}/").status_code == 200


def test_health_check_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_contact_form_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/enquiries/form/").status_code == 200


@pytest.mark.parametrize("stored", [0, 30])
def test_an_enquiry_costs_the_same_queries_however_many_are_stored(
    client, django_assert_num_queries, stored
):
    ConditionFactory(slug="depression")
    for _ in range(stored):
        make_enquiry()
    body = enquiry_body(client, condition="depression")
    # The condition, then the insert between a savepoint and its release.
    with django_assert_num_queries(4):
        assert send(client, body).status_code == 202
    assert Enquiry.objects.count() == stored + 1


def queries_of(request):
    with CaptureQueriesContext(connection) as captured:
        response = request()
    return response, len(captured)


@pytest.mark.parametrize(
    "resource, factory", [("conditions", ConditionFactory), ("topics", TopicFactory)]
)
def test_a_tag_edit_or_delete_costs_the_same_queries_however_many_items_carry_it(
    editor_api, resource, factory
):
    """Its items' search documents are rewritten a batch at a time, not one by one."""
    few, many = factory(slug="few"), factory(slug="many")
    factory(slug="idle")
    for tag, count in ((few, 1), (many, 12)):
        for make in CONTENT.values():
            for _ in range(count):
                getattr(make(), resource).add(tag)
            getattr(make(draft=True), resource).add(tag)
    # The first write of a test reads what later ones find cached (synonyms and the like).
    editor_api.patch(f"/api/v1/{resource}/idle/", {"other_names": ["wombat"]}, format="json")
    edits, deletes = {}, {}
    for tag in (few, many):
        response, edits[tag.slug] = queries_of(
            lambda slug=tag.slug: editor_api.patch(
                f"/api/v1/{resource}/{slug}/", {"other_names": ["quokkalgia"]}, format="json"
            )
        )
        assert response.status_code == 200
    for tag in (few, many):
        response, deletes[tag.slug] = queries_of(
            lambda slug=tag.slug: editor_api.delete(f"/api/v1/{resource}/{slug}/")
        )
        assert response.status_code == 204
    assert edits["few"] == edits["many"], edits
    assert deletes["few"] == deletes["many"], deletes
