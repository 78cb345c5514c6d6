"""
What the clinic's website needs to publish pages: SEO title and description (length-checked),
a canonical address, /sitemap.xml of published pages with lastmod, and RSS/Atom feeds of new and
updated articles. Drafts, scheduled and archived entries appear in none of them.
"""

import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from content.models import Status
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = [{"draft": True}, {"in_review": True}, {"archived": True}, {"scheduled": True}]


def parse_xml(response):
    # The test's own server wrote it: nothing untrusted to defuse.
    return ET.fromstring(response.content)  # noqa: S314


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response)
    return {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in root.iter(f"{SITEMAP}url")
    }


def test_seo_fields_are_written_and_shown(editor_api, client):
    article = ArticleFactory(title="How ketamine works")
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/",
        {"seo_title": "Ketamine: how it works", "seo_description": "Réponse courte, ünïcode."},
        format="json",
    )
    assert response.status_code == 200, response.content
    seo = client.get(f"/api/v1/articles/{article.slug}/").json()["seo"]
    assert seo == {
        "title": "Ketamine: how it works",
        "description": "Réponse courte, ünïcode.",
        "canonical_url": f"http://testserver/api/v1/articles/{article.slug}/",
        "image": None,
    }


def test_without_seo_fields_the_title_stands_in(client):
    faq = FAQFactory(question="Is it safe?")
    seo = client.get(f"/api/v1/faqs/{faq.slug}/").json()["seo"]
    assert seo["title"] == "Is it safe?"
    assert seo["description"] == ""


@pytest.mark.parametrize(("field", "limit"), [("seo_title", 70), ("seo_description", 160)])
def test_seo_fields_too_long_are_refused_by_name(editor_api, field, limit):
    article = ArticleFactory()
    fine = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {field: "x" * limit}, format="json"
    )
    assert fine.status_code == 200
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {field: "x" * (limit + 1)}, format="json"
    )
    body = assert_problem(response, 400)
    assert [error["pointer"] for error in body["errors"]] == [f"/{field}"]
    article.refresh_from_db()
    assert getattr(article, field) == "x" * limit


@override_settings(FRONTEND_BASE_URL="https://www.clinic.example/learn")
def test_canonical_url_is_the_website_page_when_there_is_one(client):
    study = ResearchSummaryFactory(slug="a-study")
    seo = client.get("/api/v1/research/a-study/").json()["seo"]
    assert seo["canonical_url"] == "https://www.clinic.example/learn/research/a-study/"
    assert study.slug in seo["canonical_url"]


@override_settings(FRONTEND_BASE_URL="https://www.clinic.example")
def test_sitemap_lists_published_pages_on_the_website_with_lastmod(client):
    article = ArticleFactory(slug="public-article")
    FAQFactory(slug="public-faq")
    ResearchSummaryFactory(slug="public-study")
    for n, hidden in enumerate(HIDDEN):
        ArticleFactory(slug=f"hidden-{n}", **hidden)
        FAQFactory(slug=f"hidden-faq-{n}", **hidden)
    urls = sitemap_urls(client)
    assert set(urls) == {
        "https://www.clinic.example/articles/public-article/",
        "https://www.clinic.example/faqs/public-faq/",
        "https://www.clinic.example/research/public-study/",
    }
    lastmod = urls["https://www.clinic.example/articles/public-article/"]
    assert lastmod.startswith(article.updated_at.date().isoformat())


@override_settings(
    FRONTEND_BASE_URL="https://clinic.example",
    FRONTEND_PATHS={"article": "/learn/{slug}", "faq": "/q/{slug}", "research": "/r/{slug}"},
)
def test_sitemap_follows_the_path_settings(client):
    ArticleFactory(slug="a")
    assert set(sitemap_urls(client)) == {"https://clinic.example/learn/a"}


def test_without_a_website_the_sitemap_lists_the_api_details(client):
    ArticleFactory(slug="a")
    assert set(sitemap_urls(client)) == {"http://testserver/api/v1/articles/a/"}


def test_an_empty_sitemap_is_valid(client):
    assert sitemap_urls(client) == {}


def test_sitemap_queries_do_not_grow_with_the_pages(client, django_assert_max_num_queries):
    # Per content type: its count, then its pages (up to 5000 a page).
    ArticleFactory()
    with django_assert_max_num_queries(6):
        sitemap_urls(client)
    ArticleFactory.create_batch(20)
    FAQFactory.create_batch(5)
    with django_assert_max_num_queries(6):
        assert len(sitemap_urls(client)) == 26


@override_settings(FRONTEND_BASE_URL="https://www.clinic.example")
def test_the_atom_feed_lists_new_and_updated_articles_and_studies(client):
    ArticleFactory(slug="older", title="Older <b>article</b>")
    ResearchSummaryFactory(slug="study", title="A study")
    FAQFactory(slug="faq-not-in-feed")
    for n, hidden in enumerate(HIDDEN):
        ArticleFactory(slug=f"hidden-{n}", **hidden)
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response)
    entries = root.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links == [
        "https://www.clinic.example/research/study/",
        "https://www.clinic.example/articles/older/",
    ]
    assert entries[1].find(f"{ATOM}title").text == "Older <b>article</b>"
    assert all(entry.find(f"{ATOM}updated").text for entry in entries)


def test_the_rss_feed_lists_published_articles_only(client):
    ArticleFactory(slug="public", title="Public")
    ArticleFactory(slug="draft", title="Secret draft", status=Status.DRAFT)
    response = client.get("/feeds/articles.rss")
    assert response.status_code == 200
    root = parse_xml(response)
    titles = [item.find("title").text for item in root.iter("item")]
    assert titles == ["Public"]
    assert b"Secret draft" not in response.content
