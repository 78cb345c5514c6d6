"""FAQs: questions alone in lists, in the editors' order; answers in details."""

import pytest

from tests.factories import ConditionFactory, FAQFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
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
}
DETAIL_FIELDS = LIST_FIELDS | {
    "answer_html",
    "answer_text",
    "seo",
    "review",
    "safety_notices",
    "related",
    "structured_data",
    "structured_data_script",
    "glossary_terms",
    "readability",
}


def test_list_items_are_compact_without_answer(client):
    FAQFactory()
    (item,) = client.get("/api/v1/faqs/").json()["results"]
    assert set(item) == LIST_FIELDS


def test_list_follows_the_editors_order(client):
    third = FAQFactory(order=30)
    first = FAQFactory(order=10)
    second = FAQFactory(order=20)
    results = client.get("/api/v1/faqs/").json()["results"]
    assert [item["slug"] for item in results] == [first.slug, second.slug, third.slug]


def test_detail_is_complete(client):
    condition = ConditionFactory(slug="depression", name="Depression")
    topic = TopicFactory(slug="safety", name="Safety")
    faq = FAQFactory(
        question="Is it safe?", answer="Usually, *with monitoring*.", conditions=[condition],
        topics=[topic],
    )  # fmt: skip
    response = client.get(f"/api/v1/faqs/{faq.slug}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == DETAIL_FIELDS
    assert data["question"] == "Is it safe?"
    assert data["answer_html"] == "<p>Usually, <em>with monitoring</em>.</p>\n"
    assert data["answer_text"] == "Usually, with monitoring."
    assert data["conditions"] == [{"slug": "depression", "name": "Depression"}]
    assert data["topics"] == [{"slug": "safety", "name": "Safety"}]
    assert data["review"]["reviewer"]["name"] == "Dr Test Reviewer"


def test_answer_html_is_sanitised(client):
    faq = FAQFactory(answer="<script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(f"/api/v1/faqs/{faq.slug}/").json()["answer_html"]
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<a " not in html


def test_empty_answer_renders_as_empty(client):
    faq = FAQFactory(answer="")
    data = client.get(f"/api/v1/faqs/{faq.slug}/").json()
    assert data["answer_html"] == ""
    assert data["answer_text"] == ""
