"""Mechanism articles: compact in lists, complete and safely rendered in details."""

import math
import re

import pytest

from tests.factories import ArticleFactory, ConditionFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
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
}
DETAIL_FIELDS = LIST_FIELDS | {
    "body_html",
    "body_text",
    "table_of_contents",
    "seo",
    "review",
    "safety_notices",
    "related",
    "structured_data",
    "structured_data_script",
    "glossary_terms",
    "readability",
}


def get_detail(client, article):
    response = client.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    return response.json()


def heading_ids(html):
    return re.findall(r'<h[23] id="([^"]*)"', html)


def test_list_items_are_compact_without_body(client):
    ArticleFactory()
    response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    (item,) = response.json()["results"]
    assert set(item) == LIST_FIELDS


def test_list_is_newest_first(client):
    older = ArticleFactory(published_at="2025-01-01T00:00:00Z")
    newer = ArticleFactory(published_at="2025-06-01T00:00:00Z")
    results = client.get("/api/v1/articles/").json()["results"]
    assert [item["slug"] for item in results] == [newer.slug, older.slug]


def test_detail_is_complete(client):
    article = ArticleFactory(title="How ketamine works", author="Dr A")
    data = get_detail(client, article)
    assert set(data) == DETAIL_FIELDS
    assert data["slug"] == article.slug
    assert data["title"] == "How ketamine works"
    assert data["author"] == "Dr A"
    assert data["summary"] == "How it works, briefly."


def test_tags_are_slug_and_name_references(client):
    condition = ConditionFactory(slug="ptsd", name="PTSD")
    topic = TopicFactory(slug="nmda", name="NMDA receptors")
    article = ArticleFactory(conditions=[condition], topics=[topic])
    listed = client.get("/api/v1/articles/").json()["results"][0]
    detailed = get_detail(client, article)
    for data in (listed, detailed):
        assert data["conditions"] == [{"slug": "ptsd", "name": "PTSD"}]
        assert data["topics"] == [{"slug": "nmda", "name": "NMDA receptors"}]


def test_review_block_names_reviewer_and_date(client):
    data = get_detail(client, ArticleFactory())
    review = data["review"]
    assert review["reviewer"] == {
        "name": "Dr Test Reviewer",
        "credentials": "MD",
        "speciality": "",
        "licence_id": "",
        "profile_url": "",
        "is_placeholder": False,
    }
    assert review["last_reviewed"] == "2026-01-15"
    assert review["next_review_due"] == "2027-01-15"
    assert review["signed_off_at"]


def test_review_block_is_null_where_not_reviewed(client):
    article = ArticleFactory(reviewer_name="", reviewer_credentials="", last_reviewed=None)
    assert get_detail(client, article)["review"] == {
        "reviewer": None,
        "signed_off_at": None,
        "last_reviewed": None,
        "next_review_due": None,
    }


def test_script_in_markdown_is_escaped_not_executed(client):
    article = ArticleFactory(body="Hello <script>alert('x')</script> <img src=x onerror=alert(1)>")
    html = get_detail(client, article)["body_html"]
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_dangerous_links_are_removed(client, body):
    html = get_detail(client, ArticleFactory(body=body))["body_html"]
    links = re.findall(r"<a\b[^>]*>", html, flags=re.IGNORECASE)
    assert not [link for link in links if "javascript:" in link.lower() or "data:" in link]


def test_safe_links_are_kept_and_marked_noopener(client):
    article = ArticleFactory(body="[NIMH](https://www.nimh.nih.gov/)")
    html = get_detail(client, article)["body_html"]
    assert 'href="https://www.nimh.nih.gov/"' in html
    assert "noopener" in html


def test_headings_have_ids_listed_in_table_of_contents(client):
    body = "## How it binds\n\nText.\n\n### The NMDA receptor\n\nText.\n\n## What follows\n\nEnd."
    article = ArticleFactory(body=body)
    data = get_detail(client, article)
    assert data["table_of_contents"] == [
        {"id": "how-it-binds", "title": "How it binds", "level": 2},
        {"id": "the-nmda-receptor", "title": "The NMDA receptor", "level": 3},
        {"id": "what-follows", "title": "What follows", "level": 2},
    ]
    assert heading_ids(data["body_html"]) == [entry["id"] for entry in data["table_of_contents"]]


def test_repeated_headings_get_distinct_ids(client):
    data = get_detail(client, ArticleFactory(body="## Dosing\n\nA.\n\n## Dosing\n\nB."))
    ids = heading_ids(data["body_html"])
    assert len(ids) == len(set(ids)) == 2
    assert [entry["id"] for entry in data["table_of_contents"]] == ids


@pytest.mark.parametrize(
    "heading",
    ["Über Ketamin", "氯胺酮的作用", "كيف يعمل الكيتامين", "Ketamine 🚀", "🧠", "Кетамин"],
)
def test_unicode_headings_get_nonempty_ids_matching_table_of_contents(client, heading):
    article = ArticleFactory(body=f"## Intro\n\nText.\n\n## {heading}\n\nText.\n\n## 🚀\n\nEnd.")
    data = get_detail(client, article)
    ids = heading_ids(data["body_html"])
    assert len(ids) == 3
    assert all(ids), ids
    assert len(set(ids)) == 3
    assert [entry["id"] for entry in data["table_of_contents"]] == ids
    assert data["table_of_contents"][1]["title"] == heading


def test_body_text_is_plain(client):
    article = ArticleFactory(body="## Title\n\nSome **bold** and [a link](https://example.org).")
    text = get_detail(client, article)["body_text"]
    assert "<" not in text
    assert "**" not in text
    assert "](" not in text
    assert "Title" in text
    assert "Some bold and a link." in text


def test_reading_time_grows_with_length(client):
    short = ArticleFactory(body="word " * 100)
    medium = ArticleFactory(body="word " * 1000)
    long = ArticleFactory(body="word " * 5000)
    minutes = [get_detail(client, a)["reading_time_minutes"] for a in (short, medium, long)]
    assert minutes == [1, math.ceil(1000 / 220), math.ceil(5000 / 220)]
    listed = {
        item["slug"]: item["reading_time_minutes"]
        for item in client.get("/api/v1/articles/").json()["results"]
    }
    assert listed[long.slug] == minutes[2]


def test_empty_body_renders_as_empty(client):
    data = get_detail(client, ArticleFactory(body=""))
    assert data["body_html"] == ""
    assert data["body_text"] == ""
    assert data["table_of_contents"] == []
    assert data["reading_time_minutes"] == 1


def test_very_long_body_renders_whole(client):
    sections = [f"## Section {n}\n\n" + "Ketamine blocks NMDA receptors. " * 200 for n in range(50)]
    article = ArticleFactory(body="\n\n".join(sections))
    data = get_detail(client, article)
    assert len(data["table_of_contents"]) == 50
    assert data["table_of_contents"][-1] == {"id": "section-49", "title": "Section 49", "level": 2}
    assert data["body_text"].count("Ketamine blocks NMDA receptors.") == 50 * 200
    assert data["reading_time_minutes"] == math.ceil((50 * 2 + 50 * 200 * 4) / 220)
