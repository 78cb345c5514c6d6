"""
`?fields=` asks a list for only some fields of each item, each exactly as it is otherwise.

An unknown name is a 400 naming `fields`; the schema lists the names each list accepts; and
the tags, which cost a query each, are read only when asked for.
"""

import pytest
import yaml

from tests.conftest import shared_rows
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.problems import assert_invalid_parameter

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "articles": [
        "type",
        "slug",
        "title",
        "summary",
        "author",
        "reading_time_minutes",
        "image",
        "conditions",
        "topics",
        "status",
        "published_at",
        "updated_at",
        "language",
        "is_fallback",
        "translations",
    ],
    "faqs": [
        "type",
        "slug",
        "question",
        "order",
        "conditions",
        "topics",
        "status",
        "published_at",
        "updated_at",
        "language",
        "is_fallback",
        "translations",
    ],
    "research": [
        "type",
        "slug",
        "title",
        "summary",
        "study_design",
        "evidence_level",
        "year",
        "conditions",
        "topics",
        "status",
        "published_at",
        "updated_at",
        "language",
        "is_fallback",
        "translations",
    ],
    "conditions": [
        "slug",
        "name",
        "other_names",
        "content_counts",
        "updated_at",
        "language",
        "is_fallback",
        "translations",
        "image",
    ],
    "topics": [
        "slug",
        "name",
        "other_names",
        "content_counts",
        "updated_at",
        "language",
        "is_fallback",
        "translations",
    ],
}


@pytest.fixture(scope="module")
def items(django_db_setup, django_db_blocker):
    """Two items of every list, tagged, so that every field has something to show; written
    once for the module's tests."""
    with shared_rows(django_db_blocker):
        conditions = [ConditionFactory(other_names=["Other"]) for _ in range(2)]
        topics = [TopicFactory() for _ in range(2)]
        for factory in (ArticleFactory, FAQFactory, ResearchSummaryFactory):
            factory.create_batch(2, conditions=conditions, topics=topics)
        yield


def results(client, resource, **params):
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


@pytest.mark.parametrize(
    ("resource", "field"),
    [(resource, field) for resource, fields in LIST_FIELDS.items() for field in fields],
)
def test_each_field_alone_is_represented_as_in_the_whole_item(client, items, resource, field):
    whole = results(client, resource)
    assert set(whole[0]) == set(LIST_FIELDS[resource])
    sparse = results(client, resource, fields=field)
    assert sparse == [{field: item[field]} for item in whole]


@pytest.mark.parametrize("resource", sorted(LIST_FIELDS))
def test_several_fields_come_in_the_lists_own_order(client, items, resource):
    wanted = LIST_FIELDS[resource][::-2]
    sparse = results(client, resource, fields=",".join(wanted))
    assert [list(item) for item in sparse] == [
        [name for name in LIST_FIELDS[resource] if name in wanted]
    ] * len(sparse)


def test_repeated_parameter_spaces_and_duplicates_are_accepted(client, items):
    sparse = client.get("/api/v1/articles/?fields=slug,%20title&fields=slug").json()["results"]
    assert [set(item) for item in sparse] == [{"slug", "title"}] * 2


def test_pagination_and_filters_still_apply(client, items):
    condition = ConditionFactory(slug="ptsd")
    tagged = ArticleFactory(conditions=[condition])
    body = client.get("/api/v1/articles/", {"fields": "title", "condition": "ptsd"}).json()
    assert body["count"] == 1
    assert body["results"] == [{"title": tagged.title}]
    body = client.get("/api/v1/articles/", {"fields": "slug", "page_size": 1}).json()
    assert body["next"] is not None
    assert "fields=slug" in body["next"]


@pytest.mark.parametrize("resource", sorted(LIST_FIELDS))
@pytest.mark.parametrize("value", ["nope", "slug,nope", "body_html", "SLUG", ""])
def test_unknown_or_missing_field_is_400_naming_fields(client, resource, value):
    body = assert_invalid_parameter(client.get(f"/api/v1/{resource}/", {"fields": value}), "fields")
    (error,) = body["errors"]
    # The message names what was wrong and lists what may be asked for.
    assert "slug" in error["detail"]
    if value.endswith(("nope", "body_html", "SLUG")):
        assert repr(value.split(",")[-1]) in error["detail"]


def test_fields_errors_and_filter_errors_are_reported_together(client):
    body = assert_invalid_parameter(
        client.get("/api/v1/articles/", {"fields": "nope", "updated_since": "yesterday"}),
        "fields",
    )
    assert {error["parameter"] for error in body["errors"]} == {"fields", "updated_since"}


@pytest.mark.parametrize("resource", ["articles", "faqs", "research"])
def test_details_do_not_take_fields(client, resource):
    item = {"articles": ArticleFactory, "faqs": FAQFactory, "research": ResearchSummaryFactory}[
        resource
    ]()
    assert_invalid_parameter(client.get(f"/api/v1/{resource}/{item.slug}/?fields=slug"), "fields")


@pytest.mark.parametrize(
    ("fields", "queries"),
    [
        # The content generation, a count and the page; no tag is read unless asked for.
        ("slug,title,updated_at", 3),
        ("slug,conditions", 4),
        ("topics", 4),
        ("conditions,topics", 5),
    ],
)
@pytest.mark.parametrize("resource", ["articles", "faqs", "research"])
def test_tags_are_read_only_when_asked_for(
    client, items, django_assert_num_queries, resource, fields, queries
):
    if resource == "faqs":
        fields = fields.replace("title", "question")
    with django_assert_num_queries(queries):
        sparse = results(client, resource, fields=fields, page_size=100)
    assert [set(item) for item in sparse] == [set(fields.split(","))] * 2


def test_schema_lists_the_names_each_list_accepts(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    def resolve(parameter):
        name = parameter.get("$ref", "").removeprefix("#/components/parameters/")
        return schema["components"]["parameters"][name] if name else parameter

    for resource, fields in LIST_FIELDS.items():
        operation = schema["paths"][f"/api/v1/{resource}/"]["get"]
        parameters = [resolve(p) for p in operation["parameters"]]
        (parameter,) = [p for p in parameters if p["name"] == "fields"]
        assert parameter["in"] == "query"
        assert parameter["schema"]["items"]["enum"] == fields
        assert parameter["explode"] is False
        detail = schema["paths"][f"/api/v1/{resource}/{{slug}}/"]["get"]
        assert "fields" not in {resolve(p)["name"] for p in detail.get("parameters", [])}
