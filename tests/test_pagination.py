"""Every list is paginated the same way: page numbers, 20 a page by default, at most 100."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import ArticleFactory, ConditionFactory, FAQFactory
from tests.problems import assert_invalid_parameter, assert_problem

pytestmark = pytest.mark.django_db

LISTS = ["articles", "faqs", "research", "conditions", "topics"]


def query_of(url):
    return {name: values[-1] for name, values in parse_qs(urlsplit(url).query).items()}


def test_envelope_and_default_page_size_of_20(client, content):
    resource, factory = content
    factory.create_batch(25)
    first = client.get(f"/api/v1/{resource}/").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert query_of(first["next"]) == {"page": "2"}

    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] is not None
    listed = [item["slug"] for item in first["results"] + second["results"]]
    assert len(set(listed)) == 25


def test_tag_lists_are_paginated_too(client):
    ConditionFactory.create_batch(21)
    data = client.get("/api/v1/conditions/").json()
    assert data["count"] == 21
    assert len(data["results"]) == 20
    assert query_of(data["next"]) == {"page": "2"}


def test_page_size_is_kept_in_links_with_filters(client):
    condition = ConditionFactory(slug="ptsd")
    FAQFactory.create_batch(7, conditions=[condition])
    FAQFactory.create_batch(3)
    data = client.get("/api/v1/faqs/", {"page_size": 3, "page": 2, "condition": "ptsd"}).json()
    assert data["count"] == 7
    assert len(data["results"]) == 3
    assert query_of(data["next"]) == {"page": "3", "page_size": "3", "condition": "ptsd"}
    assert query_of(data["previous"]) == {"page_size": "3", "condition": "ptsd"}


def test_page_size_up_to_100(client):
    FAQFactory.create_batch(101)
    data = client.get("/api/v1/faqs/", {"page_size": 100}).json()
    assert data["count"] == 101
    assert len(data["results"]) == 100
    assert len(client.get("/api/v1/faqs/", {"page_size": 1}).json()["results"]) == 1


def test_empty_list_has_one_empty_page(client, content):
    resource, _ = content
    data = client.get(f"/api/v1/{resource}/").json()
    assert data == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get(f"/api/v1/{resource}/", {"page": 1}).status_code == 200


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["0", "101", "-1", "abc", "1.5", " 5", "", "9" * 10_000])
def test_invalid_page_size_is_400_naming_it(client, resource, value):
    response = client.get(f"/api/v1/{resource}/", {"page_size": value})
    assert_invalid_parameter(response, "page_size")


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.0", "", "last"])
def test_invalid_page_is_400_naming_it(client, resource, value):
    assert_invalid_parameter(client.get(f"/api/v1/{resource}/", {"page": value}), "page")


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("page", ["2", "99999999999999999999"])
def test_page_past_the_end_is_404_problem(client, resource, page):
    body = assert_problem(client.get(f"/api/v1/{resource}/", {"page": page}), 404)
    assert page in body["detail"]
    assert body["instance"] == f"/api/v1/{resource}/?page={page}"


def test_last_page_exists_and_the_next_does_not(client):
    FAQFactory.create_batch(5)
    assert client.get("/api/v1/faqs/", {"page_size": 2, "page": 3}).status_code == 200
    assert_problem(client.get("/api/v1/faqs/", {"page_size": 2, "page": 4}), 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["\u0661\u0662", "\uff11\uff12", "\u00b2"]
)  # Arabic-Indic, full-width, superscript
def test_page_numbers_must_be_ascii_digits(client, value):
    """Digits from other scripts are refused rather than read as numbers."""
    response = client.get("/api/v1/articles/", {"page_size": value})
    assert_invalid_parameter(response, "page_size")


@pytest.mark.django_db
def test_equal_sort_values_keep_a_stable_order_across_pages(client):
    """Ordering by a shared value breaks ties by creation, so no item is seen twice or lost."""
    articles = [ArticleFactory(title="Same title") for _ in range(5)]
    seen = []
    for page in (1, 2, 3):
        response = client.get(
            "/api/v1/articles/", {"ordering": "title", "page_size": 2, "page": page}
        )
        seen += [item["slug"] for item in response.json()["results"]]
    assert seen == [article.slug for article in articles]
