"""Editors manage every content type in the admin; nobody else gets in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import FAQ, Article
from content.models import Status
from taxonomy.models import Condition
from tests.factories import ArticleFactory, ConditionFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/articles/article/",
    "/admin/articles/faq/",
    "/admin/research/researchsummary/",
    "/admin/taxonomy/condition/",
    "/admin/taxonomy/topic/",
    "/admin/taxonomy/safetynotice/",
]


@pytest.fixture
def editor_client():
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", CHANGELISTS)
def test_anonymous_visitors_are_sent_to_the_login_page(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_users_who_are_not_staff_cannot_log_in():
    get_user_model().objects.create_user("patient", "p@example.com", "pw-for-tests")
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "patient", "password": "pw-for-tests", "next": "/admin/"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/articles/article/").status_code == 302


@pytest.mark.parametrize("path", CHANGELISTS)
def test_every_changelist_and_add_form_renders_for_editors(editor_client, path):
    ArticleFactory(conditions=[ConditionFactory(name="Depression")])
    FAQFactory()
    ResearchSummaryFactory()
    assert editor_client.get(path).status_code == 200
    assert editor_client.get(f"{path}add/").status_code == 200


def test_article_list_shows_state_conditions_and_review_date(editor_client):
    ArticleFactory(
        title="How ketamine blocks NMDA receptors",
        status=Status.DRAFT,
        conditions=[ConditionFactory(name="Treatment-resistant depression")],
    )
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert "How ketamine blocks NMDA receptors" in page
    assert "Draft" in page
    assert "Treatment-resistant depression" in page
    assert "Jan. 15, 2026" in page  # last reviewed


def test_article_search_finds_by_title(editor_client):
    ArticleFactory(title="Glutamate and mood")
    ArticleFactory(title="Default mode network")
    page = editor_client.get("/admin/articles/article/?q=glutamate").content.decode()
    assert "Glutamate and mood" in page
    assert "Default mode network" not in page


def test_slug_is_prefilled_from_the_title(editor_client):
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert "prepopulated_fields" in page or "data-prepopulated-fields" in page
    assert '"#id_title"' in page or "id_title" in page


def test_conditions_autocomplete_answers_editors(editor_client):
    ConditionFactory(name="Post-traumatic stress disorder", slug="ptsd")
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "post",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "conditions",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Post-traumatic stress disorder"]


def test_editor_creates_an_article_with_tags_and_it_renders(editor_client):
    condition = ConditionFactory()
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Ketamine and BDNF",
            "slug": "ketamine-and-bdnf",
            "summary": "Growth signals in the brain.",
            "body": "## Growth\n\nNew connections.",
            "author": "Editorial team",
            "conditions": [condition.pk],
            "status": Status.DRAFT,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="ketamine-and-bdnf")
    assert list(article.conditions.all()) == [condition]
    assert article.body_html == '<h2 id="growth">Growth</h2>\n<p>New connections.</p>\n'


def test_bulk_publish_and_return_to_draft(editor_client):
    """Bulk moves follow the workflow: entries in review publish, drafts are refused by name."""
    in_review = ArticleFactory.create_batch(2, status=Status.IN_REVIEW, published_at=None)
    draft = ArticleFactory(status=Status.DRAFT, title="Still a draft")
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [a.pk for a in [*in_review, draft]]},
        follow=True,
    )
    assert "Still a draft: An entry in &#x27;draft&#x27; can move to" in response.content.decode()
    for article in in_review:
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.published_at is not None
        assert article.is_public
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    editor_client.post(
        "/admin/articles/article/",
        {"action": "return_to_draft", "_selected_action": [in_review[0].pk]},
    )
    in_review[0].refresh_from_db()
    assert in_review[0].status == Status.DRAFT
    assert not in_review[0].is_public


def test_faq_order_is_editable_in_the_list(editor_client):
    first, second = FAQFactory(order=10), FAQFactory(order=20)
    response = editor_client.post(
        "/admin/articles/faq/",
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-order": "30",
            "form-1-id": second.pk,
            "form-1-order": "20",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert list(FAQ.objects.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_other_names_are_edited_one_per_line(editor_client):
    response = editor_client.post(
        "/admin/taxonomy/condition/add/",
        {
            "name": "Post-traumatic stress disorder",
            "slug": "ptsd",
            "description": "",
            "other_names": "PTSD\n post-traumatic stress \n\n",
            "icd10cm": "F43.10",
            "snomed_ct": "",
            "mesh": "D013313",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    condition = Condition.objects.get(slug="ptsd")
    assert condition.other_names == ["PTSD", "post-traumatic stress"]
    page = editor_client.get(f"/admin/taxonomy/condition/{condition.pk}/change/").content.decode()
    assert "PTSD\npost-traumatic stress</textarea>" in page


def test_malformed_clinical_codes_are_refused(editor_client):
    response = editor_client.post(
        "/admin/taxonomy/condition/add/",
        {"name": "X", "slug": "x", "other_names": "", "icd10cm": "F4", "mesh": "123"},
    )
    assert response.status_code == 200
    assert "Not an ICD-10-CM code." in response.content.decode()
    assert "Not a MeSH descriptor id." in response.content.decode()
