"""
Conditions, topics and safety notices in Spanish: translated with content's workflow and
medical sign-off, served in the negotiated language only once published (a Spanish answer
names its conditions and topics, and shows its notices, in Spanish where translated, else in
English), flagged out of date when the English changes, at the same query budgets.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from api.public_answers import content_version
from editorial.services import translation_move
from publishing.models import Translation
from tests.conftest import make_user
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)
from tests.test_query_counts import DETAIL_QUERIES, LIST_QUERIES, STORED_QUERIES
from tests.test_research_spanish import SPANISH_SUMMARY
from tests.test_spanish import SPANISH_ARTICLE, reviewer, translate, translator  # noqa: F401

pytestmark = pytest.mark.django_db

SPANISH_PTSD = {
    "name": "Trastorno de estrés postraumático",
    "description": "Puede aparecer después de un hecho aterrador.",
}
SPANISH_NOTICE = {"title": "Si está en crisis", "body": "Busque **ayuda** ahora."}


@pytest.fixture
def ptsd(translator, reviewer):  # noqa: F811
    ptsd = ConditionFactory(
        slug="ptsd", name="Post-traumatic stress disorder", description="Can follow a fright."
    )
    translate(ptsd, SPANISH_PTSD, translator=translator, reviewer=reviewer)
    return ptsd


@pytest.fixture
def notice(ptsd, translator, reviewer):  # noqa: F811
    notice = SafetyNoticeFactory(
        slug="crisis", title="If you are in crisis", body="Get **help** now.", conditions=[ptsd]
    )
    translate(notice, SPANISH_NOTICE, translator=translator, reviewer=reviewer)
    return notice


@pytest.fixture
def article(ptsd, notice, translator, reviewer):  # noqa: F811
    article = ArticleFactory(slug="nmda", conditions=[ptsd])
    translate(article, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    return article


def test_condition_in_spanish(client, ptsd):
    response = client.get("/api/v1/conditions/ptsd/?lang=es")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    data = response.json()
    assert (data["language"], data["is_fallback"]) == ("es", False)
    assert data["name"] == SPANISH_PTSD["name"]
    assert data["description"] == SPANISH_PTSD["description"]
    english = client.get("/api/v1/conditions/ptsd/").json()
    assert english["name"] == "Post-traumatic stress disorder"
    assert english["translations"][0]["url"].endswith("/api/v1/conditions/ptsd/?lang=es")


def test_tag_lists_negotiate_and_fall_back(client, ptsd):
    TopicFactory(slug="nmda-receptor", name="NMDA receptor")
    conditions = client.get("/api/v1/conditions/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert [item["name"] for item in conditions["results"]] == [SPANISH_PTSD["name"]]
    topics = client.get("/api/v1/topics/?lang=es").json()["results"]
    assert [(item["name"], item["is_fallback"]) for item in topics] == [("NMDA receptor", True)]
    assert client.get("/api/v1/topics/?lang=es&fallback=false").json()["count"] == 0
    assert client.get("/api/v1/topics/nmda-receptor/?lang=es&fallback=false").status_code == 404


def test_spanish_content_names_its_tags_and_shows_its_notices_in_spanish(client, article):
    data = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert [tag["name"] for tag in data["conditions"]] == [SPANISH_PTSD["name"]]
    assert data["structured_data"]["about"][0]["name"] == SPANISH_PTSD["name"]
    (shown,) = data["safety_notices"]
    assert shown["title"] == SPANISH_NOTICE["title"]
    assert "<strong>ayuda</strong>" in shown["body_html"]
    listed = client.get("/api/v1/articles/?lang=es").json()["results"][0]
    assert [tag["name"] for tag in listed["conditions"]] == [SPANISH_PTSD["name"]]
    english = client.get("/api/v1/articles/nmda/").json()
    assert [tag["name"] for tag in english["conditions"]] == ["Post-traumatic stress disorder"]
    assert english["safety_notices"][0]["title"] == "If you are in crisis"
    condition = client.get("/api/v1/conditions/ptsd/?lang=es").json()
    assert condition["safety_notices"][0]["title"] == SPANISH_NOTICE["title"]


def test_unpublished_tag_and_notice_translations_are_never_served(
    client,
    article,
    ptsd,
    notice,
    reviewer,  # noqa: F811
):
    for entry in (ptsd, notice):
        translation = Translation.objects.of(entry).get()
        translation_move(translation=translation, target="draft", actor=reviewer)
    data = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert data["language"] == "es"
    assert [tag["name"] for tag in data["conditions"]] == ["Post-traumatic stress disorder"]
    assert data["safety_notices"][0]["title"] == "If you are in crisis"
    assert data["structured_data"]["about"][0]["name"] == "Post-traumatic stress disorder"
    condition = client.get("/api/v1/conditions/ptsd/?lang=es").json()
    assert (condition["language"], condition["name"]) == ("en", "Post-traumatic stress disorder")


def test_publishing_a_tag_translation_renews_cached_spanish_answers(
    client,
    translator,  # noqa: F811
    reviewer,  # noqa: F811
):
    ptsd = ConditionFactory(slug="ptsd", name="Post-traumatic stress disorder")
    article = ArticleFactory(slug="nmda", conditions=[ptsd])
    translate(article, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    before = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert before["conditions"][0]["name"] == "Post-traumatic stress disorder"
    translate(ptsd, SPANISH_PTSD, translator=translator, reviewer=reviewer)
    after = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert after["conditions"][0]["name"] == SPANISH_PTSD["name"]


def test_english_change_flags_tag_and_notice_translations_out_of_date(ptsd, notice, reviewer):  # noqa: F811
    editor = Client()
    editor.force_login(make_user("editor", superuser=True))
    listing = editor.get("/admin/publishing/translation/?out_of_date=yes")
    assert b"condition " not in listing.content
    ptsd.description = "Can follow a frightening event."
    ptsd.save()
    notice.body = "Get **help** today."
    notice.save()
    listing = editor.get("/admin/publishing/translation/?out_of_date=yes")
    assert f"condition {ptsd.pk} (es)".encode() in listing.content
    assert f"safety_notice {notice.pk} (es)".encode() in listing.content
    translation = Translation.objects.of(notice).get()
    translation_move(translation=translation, target="in_review", actor=reviewer)
    with pytest.raises(ValidationError, match="English text changed"):
        translation_move(translation=translation, target="published", actor=reviewer)


def test_editor_translates_a_safety_notice_in_the_admin():
    editor = Client()
    editor.force_login(make_user("editor", superuser=True))
    notice = SafetyNoticeFactory(title="If you are in crisis")
    added = editor.post(
        "/admin/publishing/translation/add/",
        {"entry_choice": f"safety_notice:{notice.pk}", "language": "es"},
    )
    assert added.status_code == 302, added.content[:2000]
    translation = Translation.objects.get()
    url = f"/admin/publishing/translation/{translation.pk}/change/"
    assert b"If you are in crisis" in editor.get(url).content
    assert editor.post(url, SPANISH_NOTICE).status_code == 302
    notice.refresh_from_db()
    assert notice.title_es == SPANISH_NOTICE["title"]
    assert "<strong>ayuda</strong>" in notice.body_html_es
    assert notice.title == "If you are in crisis"


@pytest.mark.parametrize("resource", ["articles", "research"])
def test_spanish_answers_keep_the_query_budgets(
    client,
    django_assert_num_queries,
    article,
    translator,  # noqa: F811
    reviewer,  # noqa: F811
    resource,
):
    topic = TopicFactory(slug="nmda-receptor")
    translate(
        topic,
        {"name": "Receptor NMDA", "description": "Un receptor."},
        **_people(translator, reviewer),
    )
    study = ResearchSummaryFactory(
        slug="study", conditions=article.conditions.all(), topics=[topic]
    )
    translate(study, SPANISH_SUMMARY, **_people(translator, reviewer))
    article.topics.add(topic)
    slug = "nmda" if resource == "articles" else "study"
    with django_assert_num_queries(DETAIL_QUERIES[resource]):
        response = client.get(f"/api/v1/{resource}/{slug}/?lang=es")
    assert [tag["name"] for tag in response.json()["topics"]] == ["Receptor NMDA"]
    # A filtered list goes the long way; a plain one, once rendered, comes stored.
    with django_assert_num_queries(LIST_QUERIES[resource]):
        assert client.get(f"/api/v1/{resource}/?lang=es&topic=nmda-receptor").status_code == 200
    call_command("render_representations", verbosity=0)
    cache.clear()
    content_version.forget()
    with django_assert_num_queries(STORED_QUERIES):
        stored = client.get(f"/api/v1/{resource}/?lang=es")
    assert b"Receptor NMDA" in stored.content
    for tags in ("conditions", "topics"):
        with django_assert_num_queries(LIST_QUERIES[tags]):
            assert client.get(f"/api/v1/{tags}/?lang=es").status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES["conditions"]):
        assert client.get("/api/v1/conditions/ptsd/?lang=es").status_code == 200


def _people(translator, reviewer):  # noqa: F811
    return {"translator": translator, "reviewer": reviewer}


def test_spanish_search_finds_items_by_their_tags_spanish_names_once_published(
    client,
    article,
    ptsd,
    reviewer,  # noqa: F811
):
    def search(words, language="es"):
        return client.get("/api/v1/search/", {"q": words, "lang": language}).json()

    found = search("postraumático")
    assert [hit["slug"] for hit in found["results"]] == ["nmda"]
    assert [tag["name"] for tag in found["facets"]["condition"]] == [SPANISH_PTSD["name"]]
    assert search("postraumático", "en")["results"] == []
    translation_move(translation=Translation.objects.of(ptsd).get(), target="draft", actor=reviewer)
    assert search("postraumático")["results"] == []
