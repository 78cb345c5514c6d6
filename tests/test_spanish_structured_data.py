"""
JSON-LD states the language of the answer it is in (`inLanguage`), and in a Spanish answer its
`url` is the page in Spanish: the same address with `?lang=es`.
"""

import pytest

from tests.factories import FAQFactory, GlossaryEntryFactory, ResearchSummaryFactory
from tests.test_spanish import SPANISH_FAQ, article, reviewer, translate, translator

pytestmark = pytest.mark.django_db

__all__ = ["article", "reviewer", "translator"]  # fixtures


def structured_data(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.json()["structured_data"]


def test_spanish_article_is_in_spanish_at_its_spanish_address(client, article):
    data = structured_data(client, "/api/v1/articles/nmda/?lang=es")
    assert data["inLanguage"] == "es"
    assert data["url"] == "http://testserver/api/v1/articles/nmda/?lang=es"
    assert data["name"] == "La ketamina y el receptor NMDA"


def test_english_article_is_in_english_at_its_own_address(client, article):
    for path in ("/api/v1/articles/nmda/", "/api/v1/articles/nmda/?lang=en"):
        data = structured_data(client, path)
        assert data["inLanguage"] == "en"
        assert data["url"] == "http://testserver/api/v1/articles/nmda/"


def test_spanish_by_accept_language_names_the_spanish_address(client, article):
    response = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE="es-MX")
    data = response.json()["structured_data"]
    assert data["inLanguage"] == "es"
    assert data["url"] == "http://testserver/api/v1/articles/nmda/?lang=es"


def test_english_fallback_is_in_english(client):
    FAQFactory(slug="untranslated")
    data = structured_data(client, "/api/v1/faqs/untranslated/?lang=es")
    assert data["inLanguage"] == "en"
    assert data["url"] == "http://testserver/api/v1/faqs/untranslated/"


def test_unpublished_translation_is_not_claimed(client, translator, reviewer):
    faq = FAQFactory(slug="draft")
    translate(faq, SPANISH_FAQ, translator=translator, reviewer=reviewer, publish=False)
    data = structured_data(client, "/api/v1/faqs/draft/?lang=es")
    assert (data["inLanguage"], data["url"]) == ("en", "http://testserver/api/v1/faqs/draft/")


def test_spanish_faq_on_the_website(client, settings, translator, reviewer):
    settings.FRONTEND_BASE_URL = "https://www.clinic.example"
    faq = FAQFactory(slug="speed")
    translate(faq, SPANISH_FAQ, translator=translator, reviewer=reviewer)
    data = structured_data(client, "/api/v1/faqs/speed/?lang=es")
    assert data["inLanguage"] == "es"
    assert data["url"] == "https://www.clinic.example/faqs/speed/?lang=es"
    assert data["mainEntity"][0]["name"] == SPANISH_FAQ["question"]
    english = structured_data(client, "/api/v1/faqs/speed/")
    assert english["url"] == "https://www.clinic.example/faqs/speed/"


def test_english_only_types_say_english_even_when_spanish_is_preferred(client):
    ResearchSummaryFactory(slug="study")
    GlossaryEntryFactory(slug="nmda-receptor")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    research = structured_data(client, "/api/v1/research/study/")
    assert research["inLanguage"] == "en"
    assert research["url"] == "http://testserver/api/v1/research/study/"
    glossary = structured_data(client, "/api/v1/glossary/nmda-receptor/")
    # A DefinedTerm has no inLanguage; the glossary it is in does.
    assert "inLanguage" not in glossary
    assert glossary["inDefinedTermSet"]["inLanguage"] == "en"


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/api/v1/articles/nmda/?lang=es", "http://testserver/api/v1/articles/nmda/?lang=es"),
        ("/api/v1/articles/nmda/", "http://testserver/api/v1/articles/nmda/"),
    ],
)
def test_each_language_s_page_is_its_own_canonical_page(client, article, path, canonical):
    answer = client.get(path).json()
    assert answer["seo"]["canonical_url"] == canonical == answer["structured_data"]["url"]


def test_an_english_fallback_names_the_english_page_canonical(client):
    FAQFactory(slug="untranslated")
    seo = client.get("/api/v1/faqs/untranslated/?lang=es").json()["seo"]
    assert seo["canonical_url"] == "http://testserver/api/v1/faqs/untranslated/"
