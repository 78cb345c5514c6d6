"""What generated clients rely on: the index, item types, strict inputs and HTTP validators."""

import pytest
from django.utils.http import http_date
from rest_framework.test import APIClient

from publishing.models import ContentVersion
from tests.factories import ArticleFactory, ConditionFactory, FAQFactory, ResearchSummaryFactory
from tests.problems import assert_invalid_parameter, assert_problem
from tests.timetravel import clock_moved

pytestmark = pytest.mark.django_db


def test_the_index_links_every_resource(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    index = response.json()
    assert index["articles"] == "http://testserver/api/v1/articles/"
    assert index["sync"] == "http://testserver/api/v1/sync/"
    for url in index.values():
        path = url.removeprefix("http://testserver")
        assert client.get(path, {"q": "ketamine"} if "search" in path else {}).status_code == 200


@pytest.mark.parametrize(
    ("factory", "path", "kind"),
    [
        (ArticleFactory, "articles", "article"),
        (FAQFactory, "faqs", "faq"),
        (ResearchSummaryFactory, "research", "research"),
    ],
)
def test_every_item_says_its_type(client, factory, path, kind):
    item = factory()
    (listed,) = client.get(f"/api/v1/{path}/").json()["results"]
    assert listed["type"] == kind
    assert client.get(f"/api/v1/{path}/{item.slug}/").json()["type"] == kind
    (change,) = client.get("/api/v1/sync/", {"type": kind}).json()["changes"]
    assert change["item"]["type"] == kind


def test_if_modified_since_with_the_answers_own_last_modified_is_a_304(client):
    # A burst of saves, as loading the demo makes: the generation's time runs ahead.
    for _ in range(5):
        ArticleFactory(slug=f"a{_}")
    ahead = client.get("/api/v1/articles/a0/")
    assert "Last-Modified" not in ahead
    with clock_moved(seconds=10):
        first = client.get("/api/v1/articles/a0/")
        again = client.get("/api/v1/articles/a0/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"] == ahead["ETag"]


def test_an_if_modified_since_before_the_change_is_a_200(client):
    ArticleFactory(slug="a")
    earlier = http_date(ContentVersion.objects.get().changed_at.timestamp() - 1)
    with clock_moved(seconds=10):
        response = client.get("/api/v1/articles/a/", HTTP_IF_MODIFIED_SINCE=earlier)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/search/?q=ketamine", "/api/v1/search/suggest/?q=ket"])
def test_search_answers_are_cacheable_with_validators(client, path):
    ArticleFactory(title="Ketamine and the brain")
    with clock_moved(seconds=10):
        first = client.get(path)
        assert first.status_code == 200
        assert first["Cache-Control"].startswith("public, max-age=")
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        since = first["Last-Modified"]
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_search_answers_with_credentials_stay_private(editor_api):
    response = editor_api.get("/api/v1/search/", {"q": "ketamine"})
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/articles/?condition=", "condition"),
        ("/api/v1/articles/?condition=ptsd,", "condition"),
        ("/api/v1/research/?ordering=", "ordering"),
        ("/api/v1/faqs/?updated_since=", "updated_since"),
        ("/api/v1/sync/?condition=ptsd,", "condition"),
    ],
)
def test_empty_parameter_values_are_refused(client, path, parameter):
    assert_invalid_parameter(client.get(path), parameter)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", 5), ("reading_time_minutes", "5"), ("conditions", "ptsd"), ("topics", [1])],
)
def test_write_fields_take_their_json_type_only(editor_api, field, value):
    ConditionFactory(slug="ptsd")
    body = {"slug": "new", "title": "New", "summary": "S", "body": "B", field: value}
    response = editor_api.post("/api/v1/articles/", body, format="json")
    problem = assert_problem(response, 400)
    assert any(error["pointer"].startswith(f"/{field}") for error in problem["errors"])


def test_a_body_that_is_not_json_is_a_400_problem(editor_api):
    response = editor_api.post("/api/v1/articles/", "{not json", content_type="application/json")
    assert_problem(response, 400)


def test_editors_get_the_markdown_they_put_and_nobody_else_does(client, editor_api):
    body = "## Heading\n\nSome *Markdown*."
    created = editor_api.post(
        "/api/v1/articles/",
        {"slug": "source", "title": "T", "summary": "S", "body": body},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["body"] == body
    assert editor_api.get("/api/v1/articles/source/").json()["body"] == body
    faq = FAQFactory(answer="An *answer*.")
    assert editor_api.get(f"/api/v1/faqs/{faq.slug}/").json()["answer"] == "An *answer*."
    ArticleFactory(slug="public", body="Public *body*.")
    assert editor_api.get("/api/v1/articles/public/").json()["body"] == "Public *body*."
    # Anonymous answers, fresh or cached, never carry it.
    for _ in range(2):
        anonymous = client.get("/api/v1/articles/public/")
        assert anonymous.status_code == 200
        assert "body" not in anonymous.json()


def test_staff_without_the_change_permission_do_not_get_the_source(staff_without_permission):
    ArticleFactory(slug="public")
    api = APIClient()
    api.force_authenticate(staff_without_permission)
    assert "body" not in api.get("/api/v1/articles/public/").json()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://www.ncbi.nlm.nih.gov/pubmed/10686270?dopt=Abstract", 200),
        ("http://stke.sciencemag.org/cgi/content/abstract/sci;329/5994/959", 200),
        ("https://example.org/a%zz", 400),
        ("https://example.org/café", 400),
        ("ftp://example.org/file", 400),
    ],
)
def test_a_source_url_is_an_http_address_in_plain_ascii(editor_api, url, status):
    study = ResearchSummaryFactory()
    response = editor_api.patch(f"/api/v1/research/{study.slug}/", {"url": url}, format="json")
    assert response.status_code == status, response.content
