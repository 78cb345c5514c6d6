"""Every error is an RFC 9457 problem details document, never HTML and never a 500."""

import pytest

from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.problems import assert_invalid_parameter, assert_problem

pytestmark = pytest.mark.django_db

LISTS = ["articles", "faqs", "research", "conditions", "topics"]
ENDPOINTS = [*(f"/api/v1/{name}/" for name in LISTS), "/healthz"]


@pytest.fixture
def details():
    """A detail URL of each resource, each of an item that exists."""
    return [
        f"/api/v1/articles/{ArticleFactory().slug}/",
        f"/api/v1/faqs/{FAQFactory().slug}/",
        f"/api/v1/research/{ResearchSummaryFactory().slug}/",
        f"/api/v1/conditions/{ConditionFactory().slug}/",
        f"/api/v1/topics/{TopicFactory().slug}/",
    ]


@pytest.mark.parametrize("resource", LISTS)
def test_unknown_slug_is_404_problem(client, resource):
    body = assert_problem(client.get(f"/api/v1/{resource}/no-such-thing/"), 404)
    assert body["title"] == "Not Found"
    assert body["instance"] == f"/api/v1/{resource}/no-such-thing/"


@pytest.mark.parametrize(
    "path", ["/nope", "/nope/", "/api/v1/nothing/", "/api/v2/articles/", "/api", "/api/v1/x/y/z"]
)
def test_unknown_url_is_404_problem(client, path):
    body = assert_problem(client.get(path), 404)
    assert body["instance"] == path


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_url_is_404_problem_with_debug_on(client, settings, method):
    """Django's HTML 404 page (or its CSRF page, for a POST) never answers under /api/."""
    settings.DEBUG = True
    response = getattr(client, method)("/api/v1/nothing/here/", HTTP_COOKIE="sessionid=junk")
    assert assert_problem(response, 404)["instance"] == "/api/v1/nothing/here/"


def test_an_api_address_without_its_slash_is_redirected(client):
    response = client.get("/api/v1/articles?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/?page=2"


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_IF_NONE_MATCH": "*"}, {"HTTP_IF_MODIFIED_SINCE": "Fri, 31 Dec 9999 23:59:59 GMT"}],
)
def test_conditional_headers_on_an_unknown_item_give_the_404(client, headers):
    assert_problem(client.get("/api/v1/articles/no-such-thing/", **headers), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_methods_an_endpoint_lacks_are_405_with_allow_header(client, details, method):
    """Lists take GET and POST, details GET, PUT, PATCH and DELETE, /healthz only GET."""
    allowed = {"GET", "HEAD", "OPTIONS"}
    paths = {
        "/healthz": allowed,
        **{path: allowed | {"POST"} for path in ENDPOINTS if path != "/healthz"},
        **{path: allowed | {"PUT", "PATCH", "DELETE"} for path in details},
    }
    for path, methods in paths.items():
        if method.upper() in methods:
            continue
        response = getattr(client, method)(path, {"title": "x"}, format="json")
        body = assert_problem(response, 405)
        assert method.upper() in body["detail"]
        assert set(response["Allow"].split(", ")) == methods, path


@pytest.mark.parametrize("path", ["/api/v1/articles/?conditon=ptsd", "/api/v1/faqs/?conditon=ptsd"])
def test_unknown_query_parameter_is_400_naming_it(client, path):
    body = assert_invalid_parameter(client.get(path), "conditon")
    assert body["errors"] == [
        {"detail": "This query parameter is not supported here.", "parameter": "conditon"}
    ]


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("parameter", ["conditon", "search", "format", "limit", "offset"])
def test_unknown_query_parameter_is_400_on_every_list(client, resource, parameter):
    assert_invalid_parameter(client.get(f"/api/v1/{resource}/", {parameter: "1"}), parameter)


def test_unknown_query_parameter_is_400_on_details(client, details):
    for path in details:
        assert_invalid_parameter(client.get(path, {"conditon": "ptsd"}), "conditon")


@pytest.mark.parametrize(
    ("resource", "parameter"),
    [("conditions", "condition"), ("topics", "topic"), ("articles", "study_design")],
)
def test_filters_of_other_resources_are_unknown_here(client, resource, parameter):
    assert_invalid_parameter(client.get(f"/api/v1/{resource}/", {parameter: "x"}), parameter)


def test_validation_problem_lists_parameter_and_detail(client):
    body = assert_problem(
        client.get("/api/v1/research/", {"year_min": "abc", "evidence_level": "9"}), 400
    )
    assert body["title"] == "Bad Request"
    assert body["detail"] == "Invalid query parameters: evidence_level, year_min."
    assert sorted(error["parameter"] for error in body["errors"]) == [
        "evidence_level",
        "year_min",
    ]
    assert all(set(error) == {"detail", "parameter"} for error in body["errors"])


def test_asking_for_html_is_406_problem(client):
    ArticleFactory(slug="how-it-works")
    for path in ["/api/v1/articles/", "/api/v1/articles/how-it-works/"]:
        assert_problem(client.get(path, HTTP_ACCEPT="text/html"), 406)


def test_unknown_url_is_json_even_when_html_is_asked_for(client):
    assert_problem(client.get("/api/v1/nope/", HTTP_ACCEPT="text/html"), 404)


def test_query_string_that_is_not_utf8_never_gives_500(client):
    response = client.get("/api/v1/articles/?condition=%FF%FE&topic=%C3")
    # Decoded with replacement characters, which no slug has: a 400 naming both.
    body = assert_problem(response, 400)
    assert {error["parameter"] for error in body["errors"]} == {"condition", "topic"}


HOSTILE_VALUES = [
    "😀",
    "🏳️‍🌈,💊",
    "مرحبا",  # right-to-left
    "\u202eptsd",  # right-to-left override
    "\x00",
    "ptsd\x00",
    "a" * 10_000,
    "é" * 10_000,
    "%00",
    "' OR 1=1 --",
    "2026-01-01T00:00:00\x00Z",
]
HOSTILE_PARAMETERS = [
    "condition", "topic", "updated_since", "ordering", "page", "page_size", "study_design",
    "evidence_level", "year_min", "year_max",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("resource", LISTS)
def test_hostile_query_values_never_give_500(client, resource, value):
    ArticleFactory(conditions=[ConditionFactory()])
    for parameter in HOSTILE_PARAMETERS:
        response = client.get(f"/api/v1/{resource}/", {parameter: value})
        assert response.status_code in {200, 400}, (parameter, response.content[:300])
        if response.status_code == 400:
            assert_invalid_parameter(response, parameter)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_parameter_names_are_400(client, value):
    response = client.get(f"/api/v1/articles/?{value}=1")
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "slug",
    [
        "%F0%9F%98%80",  # emoji
        "%D9%83%D9%8A%D8%AA%D8%A7%D9%85%D9%8A%D9%86",  # Arabic
        "caf%C3%A9",
        "%00",
        "a%00b",
        "%E2%80%AE",
        "%FF%FE",  # not UTF-8
        "a" * 10_000,
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
@pytest.mark.parametrize("resource", LISTS)
def test_hostile_slugs_are_404_problems(client, resource, slug):
    assert_problem(client.get(f"/api/v1/{resource}/{slug}/"), 404)
