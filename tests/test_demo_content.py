"""
The demo content loads, loads again without changing anything, and feeds every filter; its own
diagrams load into the library, with real alt text, as articles' hero images.
"""

import re
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.models import FAQ, Article
from content.models import Status
from images.models import Image
from publishing.models import Reviewer, Translation, TranslationStatus
from research.models import EvidenceLevel, ResearchSummary, StudyDesign
from taxonomy.models import Condition, SafetyNotice, Topic
from tests.conftest import shared_rows

pytestmark = pytest.mark.django_db

DIAGRAMS = {
    "nmda-receptor-block": ["ketamine-and-the-nmda-receptor"],
    "glutamate-bdnf-synapses": ["neuroplasticity-and-bdnf", "the-glutamate-connection"],
    "default-mode-network": ["default-mode-network"],
}


def load():
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the module's tests (a load costs 15 to 25 s; its
    images in a folder of the module's own); what the first load said."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), shared_rows(django_db_blocker):
        yield load()


def test_a_load_that_fails_part_way_leaves_nothing_behind(monkeypatch, tmp_path, settings):
    """A translation naming no entry is found after the import and the images: the whole
    load is one transaction, so none of it stays."""
    from transfer.files import ContentFileError
    from transfer.management.commands import load_demo_content

    folder = tmp_path / "demo"
    shutil.copytree(load_demo_content.DEMO_DIR, folder)
    faqs = folder / "translations" / "es" / "faqs"
    shutil.copy(next(faqs.glob("*.md")), faqs / "no-such-faq.md")
    monkeypatch.setattr(load_demo_content, "DEMO_DIR", folder)
    settings.MEDIA_ROOT = tmp_path / "media"
    before = counts()
    with pytest.raises(ContentFileError, match="no-such-faq"):
        load()
    assert counts() == before


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, FAQ, ResearchSummary, Condition, Topic, Image, Translation)
    }


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("slug", "updated_at"))
        for model in (Article, FAQ, ResearchSummary, Condition, Topic)
    }


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    assert "0 item(s) created or changed" in load()
    assert snapshot() == before


def test_demo_has_the_promised_amount_of_content(demo, client):
    def count(path):
        return client.get(path).json()["count"]

    assert count("/api/v1/articles/") >= 9
    assert count("/api/v1/faqs/") >= 15
    assert count("/api/v1/research/") >= 10


def test_every_condition_and_topic_filter_returns_something(demo, client):
    for condition in Condition.objects.values_list("slug", flat=True):
        total = sum(
            client.get(f"/api/v1/{path}/", {"condition": condition}).json()["count"]
            for path in ("articles", "faqs", "research")
        )
        assert total, f"nothing is tagged with condition {condition}"
    for topic in Topic.objects.values_list("slug", flat=True):
        total = sum(
            client.get(f"/api/v1/{path}/", {"topic": topic}).json()["count"]
            for path in ("articles", "faqs", "research")
        )
        assert total, f"nothing is tagged with topic {topic}"


def test_research_filters_return_something(demo, client):
    designs = set(ResearchSummary.objects.published().values_list("study_design", flat=True))
    levels = set(ResearchSummary.objects.published().values_list("evidence_level", flat=True))
    assert len(designs) >= 4
    assert len(levels) >= 3
    assert designs <= set(StudyDesign.values)
    assert levels <= set(EvidenceLevel.values)
    for design in designs:
        assert client.get("/api/v1/research/", {"study_design": design}).json()["count"]
    response = client.get("/api/v1/research/", {"year_min": 2010, "year_max": 2019})
    assert response.json()["count"]


def test_demo_shows_drafts_stay_hidden(demo, client):
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.exists()
    for article in hidden:
        assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 404


def test_every_published_detail_renders(demo, client):
    for path, model in (("articles", Article), ("faqs", FAQ), ("research", ResearchSummary)):
        for slug in model.objects.published().values_list("slug", flat=True):
            response = client.get(f"/api/v1/{path}/{slug}/")
            assert response.status_code == 200, (path, slug)
            assert response.json()["safety_notices"], "the disclaimer is shown everywhere"


def test_demo_glossary_is_reviewed_and_marked_in_the_articles(demo, client):
    from glossary.models import GlossaryEntry

    entries = client.get("/api/v1/glossary/", {"page_size": 100}).json()
    assert entries["count"] >= 25
    for entry in GlossaryEntry.objects.all():
        entry.full_clean()  # one or two sentences, names as lists
        assert entry.reviewer_name == "Demo Medical Reviewer"
        assert "placeholder" in entry.reviewer_credentials
    marked = set()
    for article in client.get("/api/v1/articles/", {"page_size": 100}).json()["results"]:
        detail = client.get(f"/api/v1/articles/{article['slug']}/").json()
        marked |= {term["slug"] for term in detail["glossary_terms"]}
        assert detail["body_html"].count('data-glossary="nmda-receptor"') <= 1
    assert {"nmda-receptor", "glutamate", "neuroplasticity"} <= marked


def test_the_demo_reviewer_is_a_placeholder(demo):
    reviewers = list(Reviewer.objects.all())
    assert len(reviewers) == 1
    assert reviewers[0].is_placeholder
    for model in (Article, FAQ, ResearchSummary):
        published = model.objects.filter(status=Status.PUBLISHED)
        assert published.exists()
        assert not published.filter(sign_off__isnull=True).exists()
        assert all(entry.publishing_problem() is None for entry in published)


def test_demo_spanish_translations_are_published_under_the_placeholder_review(demo, client):
    translations = list(Translation.objects.filter(language="es"))
    assert len(translations) >= 3
    for translation in translations:
        assert translation.status == TranslationStatus.PUBLISHED
        assert translation.sign_off.reviewer.is_placeholder
        assert not translation.is_out_of_date(translation.entry)
    kinds = Counter(translation.kind for translation in translations)
    assert kinds["faq"] >= 6
    assert kinds["article"] >= 2
    assert kinds["research"] >= 2
    for resource, kind in [
        ("faqs", "faq"),
        ("articles", "article"),
        ("research", "research"),
        ("conditions", "condition"),
        ("topics", "topic"),
    ]:
        listed = client.get(f"/api/v1/{resource}/", {"lang": "es", "fallback": "false"}).json()
        assert listed["count"] == kinds[kind]
        assert all(item["language"] == "es" for item in listed["results"])


def test_demo_spanish_answers_show_spanish_tags_notices_and_alt_text(demo, client):
    article = client.get("/api/v1/articles/ketamine-and-the-nmda-receptor/?lang=es").json()
    assert article["language"] == "es"
    assert "Depresión" in [tag["name"] for tag in article["conditions"]]
    assert article["image"]["alt_text"].startswith("Dos receptores NMDA")
    safety = client.get("/api/v1/articles/keeping-ketamine-treatment-safe/?lang=es").json()
    (crisis,) = [n for n in safety["safety_notices"] if n["slug"] == "crisis-support"]
    assert crisis["title"] == "Si está en crisis, pida ayuda ahora"
    assert "988" in crisis["body_html"]


def test_the_demo_spanish_crisis_notice_states_only_the_english_facts_and_says_what_to_check(
    demo,
):
    """
    The Spanish notice names no line, number or service the English one does not: a Spanish
    service of the 988 Lifeline is unverified, so the sign-off notes it for review instead.
    """
    notice = SafetyNotice.objects.get(slug="crisis-support")
    numbers = set(re.findall(r"\d+", notice.body_es))
    assert numbers == set(re.findall(r"\d+", notice.body_en)) == {"988"}
    translation = Translation.objects.of(notice).get()
    assert "Not verified" in translation.sign_off.note
    assert translation.sign_off.reviewer.is_placeholder


def test_the_demo_diagrams_are_stored_described_and_shown(demo, client):
    assert "3 stored, 4 set as hero images" in demo
    listed = {image["slug"]: image for image in client.get("/api/v1/images/").json()["results"]}
    assert set(listed) == set(DIAGRAMS)
    for slug, articles in DIAGRAMS.items():
        image = listed[slug]
        assert len(image["alt_text"].split()) >= 25, slug  # a description, not a label
        assert image["is_decorative"] is False
        assert (image["width"], image["height"]) == (1600, 900)
        assert image["renditions_ready"] is True
        for article in articles:
            assert client.get(f"/api/v1/articles/{article}/").json()["image"]["slug"] == slug


def test_loading_again_stores_no_image_and_keeps_editors_choices(demo):
    Article.objects.filter(slug="default-mode-network").update(image=None)
    assert "0 stored, 1 set as hero images" in load()
    assert Image.objects.count() == 3
    assert "0 stored, 0 set as hero images" in load()
