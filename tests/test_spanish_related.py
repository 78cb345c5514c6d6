"""
Related items of a Spanish answer are titled in Spanish where their translation is published,
in English where it is not (a draft's title never shows), in details and sync alike, in the
same one query.
"""

import pytest

from tests.factories import ArticleFactory, ConditionFactory, FAQFactory
from tests.test_query_counts import DETAIL_QUERIES
from tests.test_spanish import SPANISH_ARTICLE, SPANISH_FAQ, reviewer, translate, translator
from tests.test_sync_api import App

pytestmark = pytest.mark.django_db

__all__ = ["reviewer", "translator"]  # fixtures


@pytest.fixture
def tagged(translator, reviewer):
    """An article and two FAQs on depression: the article and one FAQ published in Spanish,
    the other FAQ's Spanish a draft."""
    depression = ConditionFactory(slug="depression")
    article = ArticleFactory(slug="nmda", title="Ketamine and NMDA", conditions=[depression])
    translated = FAQFactory(slug="speed", question="How fast?", conditions=[depression])
    draft = FAQFactory(slug="drive", question="Can I drive?", conditions=[depression])
    for entry, fields in ((article, SPANISH_ARTICLE), (translated, SPANISH_FAQ)):
        translate(entry, fields, translator=translator, reviewer=reviewer)
    borrador = {"question": "¿Puedo conducir? (borrador)", "answer": "Todavía no."}
    translate(draft, borrador, translator=translator, reviewer=reviewer, publish=False)
    return article


def related_titles(detail):
    return {item["slug"]: item["title"] for item in detail["related"]}


def test_spanish_detail_titles_related_items_in_spanish_where_published(client, tagged):
    detail = client.get("/api/v1/articles/nmda/", {"lang": "es"}).json()
    assert detail["language"] == "es"
    assert related_titles(detail) == {"speed": SPANISH_FAQ["question"], "drive": "Can I drive?"}


def test_english_detail_keeps_english_titles(client, tagged):
    detail = client.get("/api/v1/articles/nmda/").json()
    assert related_titles(detail) == {"speed": "How fast?", "drive": "Can I drive?"}


def test_related_titles_follow_the_served_language_not_the_asked_one(client, tagged):
    """An item answered in English (no Spanish of its own) has English related titles."""
    detail = client.get("/api/v1/faqs/drive/", {"lang": "es"}).json()
    assert (detail["language"], detail["is_fallback"]) == ("en", True)
    assert related_titles(detail) == {"nmda": "Ketamine and NMDA", "speed": "How fast?"}


def test_spanish_sync_titles_related_items_as_the_detail_does(client, tagged):
    app = App(client, lang="es")
    app.sync()
    synced = app.items[("article", "nmda")]
    assert related_titles(synced) == {"speed": SPANISH_FAQ["question"], "drive": "Can I drive?"}


def test_spanish_titles_cost_no_extra_query(client, tagged, django_assert_num_queries):
    for params in ({"lang": "es"}, {}):
        with django_assert_num_queries(DETAIL_QUERIES["articles"]):
            assert client.get("/api/v1/articles/nmda/", params).status_code == 200


def test_a_spanish_hub_titles_items_in_spanish_only_where_published(
    client, translator, reviewer, django_assert_num_queries
):
    """A condition answered in Spanish lists its newest items by their Spanish titles where
    published: never a draft's, which django-modeltranslation would read while Spanish is
    active."""
    ptsd = ConditionFactory(slug="ptsd", name="PTSD", description="Can follow a fright.")
    translate(
        ptsd,
        {"name": "TEPT", "description": "Puede seguir a un susto."},
        translator=translator,
        reviewer=reviewer,
    )
    published = ArticleFactory(slug="nmda", title="Ketamine and NMDA", conditions=[ptsd])
    draft = ArticleFactory(slug="draft", title="English only", conditions=[ptsd])
    translate(published, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    borrador = {**SPANISH_ARTICLE, "title": "Borrador sin publicar"}
    translate(draft, borrador, translator=translator, reviewer=reviewer, publish=False)
    with django_assert_num_queries(DETAIL_QUERIES["conditions"]):
        spanish = client.get("/api/v1/conditions/ptsd/", {"lang": "es"}).json()
    assert spanish["language"] == "es"
    titles = {item["slug"]: item["title"] for item in spanish["hub"]["articles"]}
    assert titles == {"nmda": SPANISH_ARTICLE["title"], "draft": "English only"}
    english = client.get("/api/v1/conditions/ptsd/").json()
    titles = {item["slug"]: item["title"] for item in english["hub"]["articles"]}
    assert titles == {"nmda": "Ketamine and NMDA", "draft": "English only"}
