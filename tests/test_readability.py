"""Readability as data: measured on save, served, filtered, and flagged to editors."""

import pytest
from django.test import Client

from content.models import Status
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

EASY = "The drug helps. You may feel calm. It works fast."
HARD = (
    "Pharmacological antagonism of ionotropic glutamatergic receptors precipitates "
    "rapid neuroplastic adaptations, consequently ameliorating treatment-resistant "
    "depressive symptomatology in considerable proportions of participants."
)


def readability(client, resource, slug):
    response = client.get(f"/api/v1/{resource}/{slug}/")
    assert response.status_code == 200
    return response.json()["readability"]


def test_every_content_type_carries_readability(client):
    items = {
        "articles": ArticleFactory(body=EASY),
        "faqs": FAQFactory(answer=EASY),
        "research": ResearchSummaryFactory(body=EASY),
    }
    for resource, item in items.items():
        figures = readability(client, resource, item.slug)
        assert set(figures) == {"grade", "reading_ease", "sentences", "words", "long_word_share"}
        assert figures["sentences"] == 3
        assert figures["words"] == 10
        assert figures["grade"] < 3
        assert figures["reading_ease"] > 80
        assert figures["long_word_share"] == 0


def test_readability_is_recomputed_on_edit(client, editor_api):
    article = ArticleFactory(body=EASY)
    before = readability(client, "articles", article.slug)
    response = editor_api.patch(f"/api/v1/articles/{article.slug}/", {"body": HARD}, format="json")
    assert response.status_code == 200, response.content
    # A new body goes back to medical review: the editor's answer shows the entry as it is now.
    after = response.json()["readability"]
    assert after["grade"] > 15 > before["grade"]
    assert after["long_word_share"] > 0.5
    assert after["sentences"] == 1


def test_empty_body_has_no_grade(client):
    faq = FAQFactory(answer="")
    assert readability(client, "faqs", faq.slug) == {
        "grade": None,
        "reading_ease": None,
        "sentences": 0,
        "words": 0,
        "long_word_share": None,
    }


def test_lists_filter_by_grade(client):
    ArticleFactory(slug="easy", body=EASY)
    ArticleFactory(slug="hard", body=HARD)
    FAQFactory(slug="empty", answer="")

    def slugs(resource, **params):
        response = client.get(f"/api/v1/{resource}/", params)
        assert response.status_code == 200, response.content
        return [item["slug"] for item in response.json()["results"]]

    assert slugs("articles", max_grade=9) == ["easy"]
    assert slugs("articles", min_grade=9) == ["hard"]
    assert slugs("articles", ordering="-reading_grade") == ["hard", "easy"]
    assert slugs("faqs", max_grade=9) == []


@pytest.mark.parametrize("value", ["hard", "1e999", "101", ""])
def test_bad_grade_is_a_400_naming_the_parameter(client, value):
    response = client.get("/api/v1/research/", {"max_grade": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "max_grade" in response.content.decode()


def test_drafts_are_not_counted_by_the_filter(client):
    ArticleFactory(slug="hidden-easy", body=EASY, status=Status.DRAFT)
    assert client.get("/api/v1/articles/", {"max_grade": 9}).json()["count"] == 0


def test_admin_warns_above_the_target_and_lists_hard_entries(superuser, settings):
    settings.READABILITY_TARGET_GRADE = 9
    hard = ArticleFactory(title="Dense article", body=HARD)
    easy = ArticleFactory(title="Plain article", body=EASY)
    ResearchSummaryFactory(title="Dense draft", body=HARD, status=Status.DRAFT)
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/articles/article/{hard.pk}/change/").content.decode()
    assert "readability-warning" in page
    assert "Above the target of grade 9" in page
    page = client.get(f"/admin/articles/article/{easy.pk}/change/").content.decode()
    assert "readability-warning" not in page
    assert "Within the target of grade 9" in page
    changelist = client.get("/admin/articles/article/", {"readability": "hard"}).content.decode()
    assert "Dense article" in changelist and "Plain article" not in changelist
    overdue = client.get("/admin/editorial/overdue-review/").content.decode()
    hard_section = overdue.split('id="hard-to-read"')[1]
    assert "Dense article" in hard_section
    assert "Plain article" not in hard_section
    assert "Dense draft" not in hard_section


def test_the_target_is_a_setting(superuser, settings):
    settings.READABILITY_TARGET_GRADE = 40
    article = ArticleFactory(title="Dense article", body=HARD)
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "readability-warning" not in page
