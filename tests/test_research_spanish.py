"""
Research summaries in Spanish: their plain-language text is translated with the same workflow,
sign-off and out-of-date flag as articles, and served, searched, synced and listed in the
sitemap only once published; the study's citation and facts stay as published.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from editorial.services import translation_move
from publishing.models import Translation, TranslationStatus
from tests.conftest import make_user
from tests.factories import ResearchSummaryFactory
from tests.test_spanish import reviewer, translate, translator  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SPANISH_SUMMARY = {
    "title": "Una sola infusión de ketamina en la depresión",
    "summary": "Lo que encontró el estudio, en pocas palabras.",
    "body": "Un resumen en *lenguaje sencillo*.",
    "key_findings": ["Un hallazgo."],
}


@pytest.fixture
def study(translator, reviewer):  # noqa: F811
    study = ResearchSummaryFactory(slug="berman", title="A single ketamine infusion")
    translate(study, SPANISH_SUMMARY, translator=translator, reviewer=reviewer)
    return study


def test_spanish_detail_translates_the_text_and_keeps_the_citation(client, study):
    response = client.get("/api/v1/research/berman/?lang=es")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    data = response.json()
    assert data["language"] == "es"
    assert data["is_fallback"] is False
    assert data["title"] == SPANISH_SUMMARY["title"]
    assert data["summary"] == SPANISH_SUMMARY["summary"]
    assert "<em>lenguaje sencillo</em>" in data["body_html"]
    assert data["key_findings"] == ["Un hallazgo."]
    assert data["citation"]["title"] == "A study title"
    assert data["citation"]["journal"] == "Biological Psychiatry"
    assert data["csl_json"]["title"] == "A study title"
    assert data["study_design"] == "rct"
    assert data["structured_data"]["inLanguage"] == "es"
    assert data["structured_data"]["description"] == SPANISH_SUMMARY["summary"]
    assert data["structured_data"]["name"] == "A study title"
    english = client.get("/api/v1/research/berman/").json()
    assert english["title"] == "A single ketamine infusion"
    assert english["translations"][0]["language"] == "es"


def test_accept_language_negotiates_and_lists_fall_back(client, study):
    ResearchSummaryFactory(slug="english-only", title="Only in English")
    response = client.get("/api/v1/research/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Accept-Language" in response["Vary"]
    items = {item["slug"]: item for item in response.json()["results"]}
    assert items["berman"]["title"] == SPANISH_SUMMARY["title"]
    assert items["english-only"]["is_fallback"] is True
    assert items["english-only"]["title"] == "Only in English"
    spanish_only = client.get("/api/v1/research/?lang=es&fallback=false").json()
    assert [item["slug"] for item in spanish_only["results"]] == ["berman"]
    assert client.get("/api/v1/research/english-only/?lang=es&fallback=false").status_code == 404


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_unpublished_translations_are_never_served(client, translator, reviewer, status):  # noqa: F811
    study = ResearchSummaryFactory(slug="draft-es", title="English title")
    translation = translate(
        study, SPANISH_SUMMARY, translator=translator, reviewer=reviewer, publish=False
    )
    if status == "draft":
        translation_move(translation=translation, target="draft", actor=reviewer)
    detail = client.get("/api/v1/research/draft-es/?lang=es").json()
    assert detail["language"] == "en"
    assert detail["title"] == "English title"
    assert detail["translations"] == []
    search = client.get("/api/v1/search/", {"q": "hallazgo", "lang": "es"}).json()
    assert search["results"] == []
    sync = client.get("/api/v1/sync/", {"type": "research", "lang": "es"}).json()
    assert [change["item"]["language"] for change in sync["changes"]] == ["en"]
    assert b"draft-es/?lang=es" not in client.get("/sitemap.xml").content


def test_published_translation_is_searched_synced_and_in_the_sitemap(client, study):
    search = client.get("/api/v1/search/", {"q": "hallazgo", "lang": "es"}).json()
    assert [hit["slug"] for hit in search["results"]] == ["berman"]
    sync = client.get("/api/v1/sync/", {"type": "research", "lang": "es"}).json()
    (change,) = sync["changes"]
    assert change["item"]["title"] == SPANISH_SUMMARY["title"]
    assert b"/research/berman/?lang=es" in client.get("/sitemap.xml").content


def test_a_change_to_the_studys_facts_flags_the_translation_out_of_date(study, reviewer):  # noqa: F811
    translation = Translation.objects.get()
    assert not translation.is_out_of_date(study)
    study.evidence_level = "1"
    study.save()
    assert translation.is_out_of_date(study)
    editor = Client()
    editor.force_login(make_user("editor", superuser=True))
    listing = editor.get("/admin/publishing/translation/?out_of_date=yes")
    assert f"research {study.pk} (es)".encode() in listing.content
    translation_move(translation=translation, target="in_review", actor=reviewer)
    with pytest.raises(ValidationError, match="English text changed"):
        translation_move(translation=translation, target="published", actor=reviewer)


def test_a_translation_needs_only_the_fields_the_english_has(translator, reviewer):  # noqa: F811
    study = ResearchSummaryFactory(limitations="", population="Adults with depression.")
    translation = translate(
        study, SPANISH_SUMMARY, translator=translator, reviewer=reviewer, publish=False
    )
    with pytest.raises(ValidationError, match="population"):
        translation_move(translation=translation, target="published", actor=reviewer)


def test_editor_translates_key_findings_in_the_admin(translator):  # noqa: F811
    editor = Client()
    editor.force_login(make_user("editor", superuser=True))
    study = ResearchSummaryFactory(key_findings=["First.", "Second."])
    added = editor.post(
        "/admin/publishing/translation/add/",
        {"entry_choice": f"research:{study.pk}", "language": "es"},
    )
    assert added.status_code == 302, added.content[:2000]
    translation = Translation.objects.get()
    url = f"/admin/publishing/translation/{translation.pk}/change/"
    form = editor.get(url)
    assert b"First.\nSecond." in form.content
    assert b"citation" not in form.content.lower().split(b"<form")[1].split(b"</form>")[0]
    changed = editor.post(
        url,
        {
            **SPANISH_SUMMARY,
            "key_findings": "Primero.\n\nSegundo.\n",
            "limitations": "",
            "population": "",
            "intervention": "",
            "comparator": "",
            "seo_title": "",
            "seo_description": "",
        },
    )
    assert changed.status_code == 302, changed.content[:2000]
    study.refresh_from_db()
    assert study.key_findings_es == ["Primero.", "Segundo."]
    assert study.key_findings == ["First.", "Second."]
    translation.refresh_from_db()
    assert translation.status == TranslationStatus.DRAFT
