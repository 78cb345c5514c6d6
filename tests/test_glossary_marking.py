"""Glossary terms marked in content: first mention only, in running text, published terms only."""

import pytest

from content.models import Status
from tests.factories import ArticleFactory, FAQFactory, GlossaryEntryFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

DFN = '<dfn data-glossary="nmda-receptor">'


@pytest.fixture
def nmda():
    return GlossaryEntryFactory(
        slug="nmda-receptor",
        term="NMDA receptor",
        other_names=["N-methyl-D-aspartate receptor"],
        abbreviations=["NMDAR"],
    )


def detail(client, resource, slug):
    response = client.get(f"/api/v1/{resource}/{slug}/")
    assert response.status_code == 200
    return response.json()


def article_html(client, body):
    article = ArticleFactory(body=body)
    return detail(client, "articles", article.slug)


def test_first_mention_is_marked_and_listed(client, nmda):
    data = article_html(client, "The NMDA receptor is a gate. Another NMDA receptor is not marked.")
    html = data["body_html"]
    assert html.count("<dfn") == 1
    assert f"The {DFN}NMDA receptor</dfn> is a gate." in html
    assert data["glossary_terms"] == [
        {
            "slug": "nmda-receptor",
            "term": "NMDA receptor",
            "url": "http://testserver/api/v1/glossary/nmda-receptor/",
        }
    ]
    # Marks are markup only: the plain text and the search index read as before.
    assert "dfn" not in data["body_text"]


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("nmda receptors open.", "nmda receptors"),
        ("Two NMDA Receptors.", "NMDA Receptors"),
        ("An n-methyl-d-aspartate receptor.", "n-methyl-d-aspartate receptor"),
    ],
)
def test_case_and_plural_forms_are_marked(client, nmda, text, marked):
    html = article_html(client, text)["body_html"]
    assert f"{DFN}{marked}</dfn>" in html


def test_abbreviations_keep_their_capitals_and_use_abbr(client, nmda):
    html = article_html(client, "The nmdar word is not it, but NMDARs are.")["body_html"]
    assert '<abbr title="NMDA receptor" data-glossary="nmda-receptor">NMDARs</abbr>' in html
    assert "nmdar word" in html and html.count("data-glossary") == 1


def test_parts_of_longer_words_are_not_marked(client):
    GlossaryEntryFactory(slug="ketamine", term="ketamine")
    html = article_html(client, "Esketamine and ketamines-like words; then ketamine.")["body_html"]
    assert html.count("<dfn") == 1
    assert 'then <dfn data-glossary="ketamine">ketamine</dfn>.' in html


def test_never_in_headings_links_or_code(client, nmda):
    body = (
        "## The NMDA receptor\n\n"
        "See [the NMDA receptor](https://example.org/) and `NMDA receptor`.\n\n"
        "```\nNMDA receptor\n```\n\n"
        "Finally the NMDA receptor."
    )
    data = article_html(client, body)
    html = data["body_html"]
    assert html.count("<dfn") == 1
    assert f"Finally the {DFN}NMDA receptor</dfn>." in html
    assert '<h2 id="the-nmda-receptor">The NMDA receptor</h2>' in html
    assert data["table_of_contents"][0]["title"] == "The NMDA receptor"


def test_every_content_type_is_marked(client, nmda):
    faq = FAQFactory(answer="It blocks the NMDA receptor.")
    study = ResearchSummaryFactory(body="About the NMDA receptor.")
    assert DFN in detail(client, "faqs", faq.slug)["answer_html"]
    assert DFN in detail(client, "research", study.slug)["body_html"]


@pytest.mark.parametrize("state", ["draft", "in_review", "archived", "scheduled"])
def test_unpublished_entries_are_never_marked(client, state):
    GlossaryEntryFactory(slug="secret", term="glutamate", **{state: True})
    data = article_html(client, "Glutamate carries signals.")
    assert "data-glossary" not in data["body_html"]
    assert data["glossary_terms"] == []


def test_publishing_marks_existing_content_and_unpublishing_removes_marks(client):
    article = ArticleFactory(body="Glutamate carries signals.")
    entry = GlossaryEntryFactory(slug="glutamate", term="glutamate", draft=True)
    version = article.version
    assert "data-glossary" not in detail(client, "articles", article.slug)["body_html"]
    entry.status = Status.PUBLISHED
    entry.save()
    data = detail(client, "articles", article.slug)
    assert '<dfn data-glossary="glutamate">Glutamate</dfn>' in data["body_html"]
    assert [term["slug"] for term in data["glossary_terms"]] == ["glutamate"]
    # Re-marking is not an editor's save: their If-Match still holds.
    article.refresh_from_db()
    assert article.version == version
    entry.status = Status.ARCHIVED
    entry.save()
    data = detail(client, "articles", article.slug)
    assert "data-glossary" not in data["body_html"]
    assert data["glossary_terms"] == []


def test_renaming_and_deleting_a_term_re_marks(client):
    article = ArticleFactory(body="Glutamate and BDNF.")
    entry = GlossaryEntryFactory(slug="glutamate", term="glutamate")
    entry.slug, entry.term, entry.abbreviations = (
        "bdnf",
        "Brain-derived neurotrophic factor",
        ["BDNF"],
    )
    entry.save()
    html = detail(client, "articles", article.slug)["body_html"]
    assert (
        'Glutamate and <abbr title="Brain-derived neurotrophic factor" data-glossary="bdnf">'
        in html
    )
    entry.delete()
    assert "data-glossary" not in detail(client, "articles", article.slug)["body_html"]


def test_re_marking_is_seen_by_caches_and_sync(client):
    article = ArticleFactory(body="Glutamate carries signals.")
    first = client.get(f"/api/v1/articles/{article.slug}/")
    page = client.get("/api/v1/sync/", {"type": "article"}).json()
    GlossaryEntryFactory(slug="glutamate", term="glutamate")
    again = client.get(f"/api/v1/articles/{article.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "data-glossary" in again.json()["body_html"]
    changes = client.get("/api/v1/sync/", {"type": "article", "cursor": page["cursor"]}).json()
    (change,) = changes["changes"]
    assert change["slug"] == article.slug
    assert "data-glossary" in change["item"]["body_html"]


def test_a_scheduled_term_is_marked_when_its_time_comes(client):
    import datetime
    from unittest import mock

    from django.utils import timezone

    article = ArticleFactory(body="Glutamate carries signals.")
    GlossaryEntryFactory(slug="glutamate", term="glutamate", scheduled=True)
    assert "data-glossary" not in detail(client, "articles", article.slug)["body_html"]
    later = timezone.now() + datetime.timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "data-glossary" in detail(client, "articles", article.slug)["body_html"]


def test_sanitiser_keeps_only_slug_shaped_glossary_attributes():
    from entries.markdown import render_markdown

    # The source's own HTML is escaped, never passed through as markup.
    html = render_markdown('<dfn data-glossary="x y">a</dfn>').html
    assert "<dfn" not in html
    assert "&lt;dfn" in html
