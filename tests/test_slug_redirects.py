"""
A renamed entry keeps its old addresses: the old slug's detail answers 301 to the new one,
/api/v1/redirects/ lists them for the website, and sync removes the old slug and sends the
new item. Nothing about entries that are not public leaks through any of them.
"""

import pytest

from content.models import Status
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


def rename(editor_api, resource, old, new):
    response = editor_api.patch(f"/api/v1/{resource}/{old}/", {"slug": new}, format="json")
    assert response.status_code == 200, response.content
    return response


def redirects(client):
    response = client.get("/api/v1/redirects/")
    assert response.status_code == 200
    return [(r["type"], r["old_slug"], r["slug"]) for r in response.json()["results"]]


@pytest.mark.parametrize(
    ("factory", "resource", "kind", "path"),
    [
        (ArticleFactory, "articles", "article", "/articles/"),
        (FAQFactory, "faqs", "faq", "/faqs/"),
        (ResearchSummaryFactory, "research", "research", "/research/"),
    ],
)
def test_the_old_slug_answers_301_to_the_new_address(
    editor_api, client, factory, resource, kind, path
):
    factory(slug="old-name")
    rename(editor_api, resource, "old-name", "new-name")
    response = client.get(f"/api/v1/{resource}/old-name/")
    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/{resource}/new-name/"
    assert client.get(f"/api/v1/{resource}/new-name/").status_code == 200
    listed = client.get("/api/v1/redirects/").json()["results"]
    assert listed == [
        {
            "type": kind,
            "old_slug": "old-name",
            "slug": "new-name",
            "from_path": f"{path}old-name/",
            "to_path": f"{path}new-name/",
        }
    ]


def test_writes_to_the_old_slug_are_not_redirected(editor_api):
    ArticleFactory(slug="old-name")
    rename(editor_api, "articles", "old-name", "new-name")
    response = editor_api.patch("/api/v1/articles/old-name/", {"title": "X"}, format="json")
    assert_problem(response, 404)


def test_every_old_slug_of_a_chain_leads_to_the_current_one(editor_api, client):
    ArticleFactory(slug="first")
    rename(editor_api, "articles", "first", "second")
    rename(editor_api, "articles", "second", "third")
    for old in ("first", "second"):
        response = client.get(f"/api/v1/articles/{old}/")
        assert response.status_code == 301
        assert response["Location"].endswith("/api/v1/articles/third/")
    assert redirects(client) == [("article", "first", "third"), ("article", "second", "third")]


def test_renaming_back_makes_the_slug_its_own_address_again(editor_api, client):
    ArticleFactory(slug="a-name")
    rename(editor_api, "articles", "a-name", "b-name")
    rename(editor_api, "articles", "b-name", "a-name")
    assert client.get("/api/v1/articles/a-name/").status_code == 200
    assert client.get("/api/v1/articles/b-name/").status_code == 301
    assert redirects(client) == [("article", "b-name", "a-name")]


def test_an_entry_that_takes_an_old_slug_answers_under_it(editor_api, client):
    ArticleFactory(slug="taken")
    rename(editor_api, "articles", "taken", "moved")
    newcomer = ArticleFactory(slug="taken", status=Status.IN_REVIEW, published_at=None)
    editor_api.patch("/api/v1/articles/taken/", {"status": "published"}, format="json")
    newcomer.refresh_from_db()
    assert newcomer.status == Status.PUBLISHED
    assert client.get("/api/v1/articles/taken/").json()["title"] == newcomer.title
    assert redirects(client) == []


def test_a_renamed_draft_leaves_no_trace(editor_api, client):
    ArticleFactory(slug="draft-name", status=Status.DRAFT)
    rename(editor_api, "articles", "draft-name", "still-draft")
    assert_problem(client.get("/api/v1/articles/draft-name/"), 404)
    assert redirects(client) == []


def test_unpublishing_a_renamed_entry_withdraws_its_redirects(editor_api, client):
    ArticleFactory(slug="old-name")
    rename(editor_api, "articles", "old-name", "new-name")
    editor_api.patch("/api/v1/articles/new-name/", {"status": "draft"}, format="json")
    assert_problem(client.get("/api/v1/articles/old-name/"), 404)
    assert redirects(client) == []
    # Staff who may see drafts are still led to it.
    response = editor_api.get("/api/v1/articles/old-name/")
    assert response.status_code == 301


def test_sync_removes_the_old_slug_and_sends_the_new_item(editor_api, client):
    ArticleFactory(slug="old-name")
    cursor = client.get("/api/v1/sync/").json()["cursor"]
    rename(editor_api, "articles", "old-name", "new-name")
    changes = client.get("/api/v1/sync/", {"cursor": cursor}).json()["changes"]
    assert [(c["action"], c["slug"]) for c in changes] == [
        ("remove", "old-name"),
        ("upsert", "new-name"),
    ]
    assert changes[1]["item"]["slug"] == "new-name"


def test_the_redirect_list_costs_the_same_queries_whatever_its_size(
    editor_api, client, django_assert_num_queries
):
    def rename_some(count, start):
        for n in range(start, start + count):
            ArticleFactory(slug=f"a-{n}")
            FAQFactory(slug=f"f-{n}")
            rename(editor_api, "articles", f"a-{n}", f"a-{n}-new")
            rename(editor_api, "faqs", f"f-{n}", f"f-{n}-new")

    rename_some(1, 0)
    client.get("/api/v1/redirects/")
    # The content version, the count and the page.
    with django_assert_num_queries(3):
        client.get("/api/v1/redirects/?page_size=50")
    rename_some(5, 1)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/redirects/?page_size=50").json()["results"]) == 12
