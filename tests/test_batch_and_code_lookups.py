"""
Apps fetch several items in one request (`?slug=a,b,c`, at most 100) and link a diagnosis to
education by its clinical code: conditions by `code` and `code_system`, content lists by
`condition_code`. Items that are not public never come back.
"""

import pytest

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.problems import assert_invalid_parameter

pytestmark = pytest.mark.django_db

HIDDEN = [{"draft": True}, {"in_review": True}, {"archived": True}, {"scheduled": True}]


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


@pytest.fixture
def coded(db):
    return {
        "trd": ConditionFactory(slug="trd", icd10cm="F33.2", mesh="D061218"),
        "ptsd": ConditionFactory(slug="ptsd", icd10cm="F43.10", snomed_ct="47505003"),
        "pain": ConditionFactory(slug="pain"),
    }


@pytest.mark.parametrize(
    ("resource", "factory"),
    [
        ("articles", ArticleFactory),
        ("faqs", FAQFactory),
        ("research", ResearchSummaryFactory),
        ("conditions", ConditionFactory),
        ("topics", TopicFactory),
    ],
)
def test_several_items_by_slug_in_one_request(client, resource, factory):
    for slug in ("a", "b", "c", "ü-not-asked"):
        factory(slug=slug)
    response = client.get(f"/api/v1/{resource}/", {"slug": "a,c,unknown"})
    assert slugs(response) == ["a", "c"]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_a_batch_never_returns_what_is_not_public(client, hidden):
    ArticleFactory(slug="public")
    ArticleFactory(slug="secret", **hidden)
    response = client.get("/api/v1/articles/", {"slug": "public,secret"})
    assert slugs(response) == ["public"]
    assert response.json()["count"] == 1


def test_a_batch_of_a_hundred_slugs_is_fine_and_more_is_refused(client):
    ArticleFactory(slug="s-0")
    hundred = ",".join(f"s-{n}" for n in range(100))
    assert slugs(client.get("/api/v1/articles/", {"slug": hundred})) == ["s-0"]
    response = client.get("/api/v1/faqs/", {"slug": hundred + ",one-more"})
    body = assert_invalid_parameter(response, "slug")
    assert body["errors"] == [
        {"parameter": "slug", "detail": "At most 100 slugs at once, not 101."}
    ]


def test_conditions_by_code_in_any_system_or_one(client, coded):
    assert slugs(client.get("/api/v1/conditions/", {"code": "F33.2"})) == ["trd"]
    assert slugs(client.get("/api/v1/conditions/", {"code": "f33.2"})) == ["trd"]
    assert slugs(client.get("/api/v1/conditions/", {"code": "D061218,47505003"})) == [
        "ptsd",
        "trd",
    ]
    assert slugs(client.get("/api/v1/conditions/", {"code": "F33.2", "code_system": "icd10cm"}))
    assert slugs(client.get("/api/v1/conditions/", {"code": "F33.2", "code_system": "mesh"})) == []
    assert slugs(client.get("/api/v1/conditions/", {"code_system": "snomed"})) == ["ptsd"]
    assert slugs(client.get("/api/v1/conditions/", {"code": "Z99.9"})) == []


def test_an_unknown_code_system_is_refused_by_name(client, coded):
    response = client.get("/api/v1/conditions/", {"code": "F33.2", "code_system": "icd9"})
    assert_invalid_parameter(response, "code_system")


@pytest.mark.parametrize(
    "code", ["F33 2", " F33.2", "F33.2\n", "<script>", ".F33", "F" * 41, "F33.2,,F32"]
)
def test_a_code_that_is_not_one_is_refused_by_name(client, coded, code):
    assert_invalid_parameter(client.get("/api/v1/conditions/", {"code": code}), "code")
    response = client.get("/api/v1/articles/", {"condition_code": code})
    assert_invalid_parameter(response, "condition_code")


def test_content_lists_by_condition_code(client, coded):
    ArticleFactory(slug="for-trd", conditions=[coded["trd"]])
    ArticleFactory(slug="for-both", conditions=[coded["trd"], coded["ptsd"]])
    ArticleFactory(slug="for-pain", conditions=[coded["pain"]])
    ArticleFactory(slug="draft-for-trd", conditions=[coded["trd"]], draft=True)
    FAQFactory(slug="faq-for-ptsd", conditions=[coded["ptsd"]])
    ResearchSummaryFactory(slug="study-for-trd", conditions=[coded["trd"]])
    assert slugs(client.get("/api/v1/articles/", {"condition_code": "F33.2"})) == [
        "for-both",
        "for-trd",
    ]
    assert slugs(client.get("/api/v1/faqs/", {"condition_code": "F43.10"})) == ["faq-for-ptsd"]
    assert slugs(client.get("/api/v1/research/", {"condition_code": "D061218"})) == [
        "study-for-trd"
    ]
    assert slugs(client.get("/api/v1/articles/", {"condition_code": "nothing"})) == []


def test_batch_and_code_lookups_cost_the_same_queries_whatever_the_size(
    client, coded, django_assert_num_queries
):
    ArticleFactory(slug="x-0", conditions=[coded["trd"]])
    query = {"slug": ",".join(f"x-{n}" for n in range(30)), "condition_code": "F33.2"}
    client.get("/api/v1/articles/", query)
    with django_assert_num_queries(5) as first:
        client.get("/api/v1/articles/", {**query, "page_size": 50})
    for n in range(1, 30):
        ArticleFactory(slug=f"x-{n}", conditions=[coded["trd"]], topics=[TopicFactory()])
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/api/v1/articles/", {**query, "page_size": 50})
    assert response.json()["count"] == 30
