"""
Search in Spanish (`lang=es`): stemming, stop words, folded accents, synonyms and spelling of
Spanish, kept apart from English in results, vocabulary and cached answers.

Articles' own `index_translations()` (their published translations, tests/test_spanish.py)
is replaced here by one returning the Spanish text set on each article in the test, and
articles are saved the usual way.
"""

import pytest

from articles.models import Article
from content.models import Status
from search.models import SearchDocument, SearchWord
from search.registry import IndexComponents
from taxonomy.models import Synonym
from tests.conftest import make_user
from tests.factories import ArticleFactory
from tests.problems import assert_invalid_parameter
from tests.test_spanish import admin_client

pytestmark = pytest.mark.django_db

SPANISH = {}


@pytest.fixture(autouse=True)
def spanish_translations(monkeypatch):
    """Articles whose slug has Spanish text in SPANISH are translated (and published)."""

    def index_translations(self):
        if self.slug in SPANISH:
            yield "es", IndexComponents(*SPANISH[self.slug])

    monkeypatch.setattr(Article, "index_translations", index_translations, raising=False)
    yield
    SPANISH.clear()


def translated(slug, title, spanish):
    """An article titled `title`, translated into Spanish as (title, summary, body)."""
    SPANISH[slug] = spanish
    return ArticleFactory(slug=slug, title=title)


ENGLISH_TITLES = {
    "Ketamine and depression",
    "Depression and sleep",
    "Ketamine and PTSD",
    "Ketamine and ECT",
}


@pytest.fixture
def articles():
    translated(
        "depression",
        "Ketamine and depression",
        (
            "La ketamina y la depresión",
            "Qué se sabe de las infusiones de ketamina.",
            "Las infusiones de ketamina se estudian para la depresión resistente al tratamiento.",
        ),
    )
    ArticleFactory(slug="english-only", title="Depression and sleep")
    translated(
        "ptsd",
        "Ketamine and PTSD",
        (
            "El trastorno de estrés postraumático",
            "Síntomas del trastorno de estrés postraumático.",
            "Los síntomas pueden cambiar con el tiempo.",
        ),
    )
    translated(
        "ect",
        "Ketamine and ECT",
        ("Ketamina y TEC", "Comparada con la TEC en algunos estudios.", "Dos terapias distintas."),
    )


def search(client, q, **params):
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content[:500]
    return response


def slugs(response):
    return [result["slug"] for result in response.json()["results"]]


def test_spanish_documents_are_indexed_beside_english_ones(articles):
    assert set(
        SearchDocument.objects.filter(object_id=Article.objects.get(slug="ptsd").pk).values_list(
            "language", flat=True
        )
    ) == {"en", "es"}
    assert SearchWord.objects.filter(language="es", word="postraumatico").exists()
    assert not SearchWord.objects.filter(language="en", word="postraumatico").exists()


def test_spanish_answer_says_its_language(client, articles):
    response = search(client, "ketamina", lang="es")
    assert response.json()["language"] == "es"
    assert response["Content-Language"] == "es"
    assert "accept-language" in response["Vary"].lower()
    assert set(slugs(response)) == {"depression", "ect"}
    assert {result["title"] for result in response.json()["results"]} == {
        "La ketamina y la depresión",
        "Ketamina y TEC",
    }


def test_inflected_spanish_words_find_each_other(client, articles):
    # "síntoma" (singular) finds "síntomas"; "infusión" finds "infusiones".
    assert slugs(search(client, "síntoma", lang="es")) == ["ptsd"]
    assert slugs(search(client, "infusión", lang="es")) == ["depression"]


def test_snippets_show_the_spanish_words_as_written(client, articles):
    (result,) = search(client, "depresion", lang="es").json()["results"]
    assert "<mark>depresión</mark>" in result["snippet"]


def test_spanish_stop_words_are_ignored(client, articles):
    assert slugs(search(client, "de la depresión", lang="es")) == ["depression"]
    # Nothing but stop words: nothing searched, not everything found.
    assert slugs(search(client, "de la que", lang="es")) == []


@pytest.mark.parametrize("q", ["depresion", "depresión", "DEPRESIÓN", "depresiones"])
def test_accents_are_folded(client, articles, q):
    assert slugs(search(client, q, lang="es")) == ["depression"]


def test_a_document_without_accents_is_found_with_them(client, articles):
    translated("plain", "Ketamine", ("Tratamiento rapido", "", "Un tratamiento rapido."))
    assert "plain" in slugs(search(client, "rápido", lang="es"))


def test_a_typo_is_corrected_against_the_spanish_vocabulary(client, articles):
    body = search(client, "postraumatcio", lang="es").json()
    assert body["suggestion"] == "postraumatico"
    assert [result["slug"] for result in body["results"]] == ["ptsd"]


def test_a_spanish_typo_is_never_corrected_into_an_english_word(client, articles):
    ArticleFactory(slug="sleep", title="Insomnia", body="Insomnia and ketamine.")
    body = search(client, "insomnai", lang="es").json()
    assert body["suggestion"] is None
    assert body["results"] == []
    # In English the same typo is corrected.
    assert search(client, "insomnai").json()["suggestion"] == "insomnia"


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("TEPT", "ptsd"),
        ("trastorno de estrés postraumático", "ptsd"),
        ("terapia electroconvulsiva", "ect"),
        ("TEC", "ect"),
        ("depre", "depression"),
    ],
)
def test_spanish_synonyms_and_abbreviations_work_both_ways(client, articles, q, slug):
    assert slug in slugs(search(client, q, lang="es"))


def test_editors_keep_each_language_its_own_synonyms_in_the_admin(client, articles):
    editor = make_user("lexicographer", superuser=True)
    added = admin_client(editor).post(
        "/admin/taxonomy/synonym/add/",
        {
            "term": "terapia electroconvulsiva",
            "language": "es",
            "other_names": "terapia de choque",
            "direction": "both",
            "sense": "",
        },
    )
    assert added.status_code == 200  # the seeded Spanish term is there already: refused
    assert b"already exists" in added.content
    seeded = Synonym.objects.get(term="terapia electroconvulsiva", language="es")
    changed = admin_client(editor).post(
        f"/admin/taxonomy/synonym/{seeded.pk}/change/",
        {
            "term": seeded.term,
            "language": "es",
            "other_names": "TEC\nterapia de choque",
            "direction": "both",
            "sense": "",
        },
    )
    assert changed.status_code == 302, changed.content[:2000]
    assert "ect" in slugs(search(client, "terapia de choque", lang="es"))
    # The same words mean nothing to English searches, nor an English term to Spanish ones.
    assert "ect" not in slugs(search(client, "terapia de choque"))
    Synonym.objects.create(term="ECT", language="en", other_names=["electroshock"])
    assert slugs(search(client, "electroshock", lang="es")) == []


@pytest.mark.parametrize("q", ["depression", "ketamine", "depresión", "ketamina", "ECT"])
def test_languages_never_mix(client, articles, q):
    spanish = search(client, q, lang="es").json()["results"]
    assert not {result["title"] for result in spanish} & ENGLISH_TITLES
    english = search(client, q)
    assert english.json()["language"] == english["Content-Language"] == "en"
    titles = [result["title"] for result in english.json()["results"]]
    assert set(titles) <= ENGLISH_TITLES
    assert len(titles) == len(set(titles))


def test_content_lists_search_english_only(client, articles):
    response = client.get("/api/v1/articles/", {"q": "trastorno"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_unpublished_translations_and_items_are_never_found(client, articles):
    SPANISH.pop("ect")
    Article.objects.get(slug="ect").save()
    assert slugs(search(client, "TEC", lang="es")) == []
    assert not SearchDocument.objects.filter(language="es", slug="ect").exists()
    item = Article.objects.get(slug="ptsd")
    item.status = Status.DRAFT
    item.save()
    assert slugs(search(client, "síntomas", lang="es")) == []


def test_accept_language_chooses_the_language_when_lang_is_not_given(client, articles):
    spanish = client.get("/api/v1/search/", {"q": "depresión"}, HTTP_ACCEPT_LANGUAGE="es-ES,es")
    assert spanish.json()["language"] == "es"
    assert spanish["Content-Language"] == "es"
    assert slugs(spanish) == ["depression"]
    preferred = client.get(
        "/api/v1/search/", {"q": "depresión"}, HTTP_ACCEPT_LANGUAGE="fr, en;q=0.5, es;q=0.8"
    )
    assert preferred.json()["language"] == "es"
    unknown = client.get("/api/v1/search/", {"q": "depression"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert unknown.json()["language"] == "en"
    # `lang` wins over the header.
    given = client.get(
        "/api/v1/search/", {"q": "depression", "lang": "en"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert given.json()["language"] == "en"


def test_cached_answers_never_mix_languages(client, articles):
    url = "/api/v1/search/?q=depresion"
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert first.json()["language"] == again.json()["language"] == "es"
    assert english.json()["language"] == "en"
    assert slugs(again) == ["depression"]
    assert again["Content-Language"] == "es"
    assert "accept-language" in again["Vary"].lower()
    assert first["ETag"] == again["ETag"] != english["ETag"]
    # A Spanish ETag never validates the English answer.
    revalidated = client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 200
    assert revalidated.json()["language"] == "en"


@pytest.mark.parametrize("lang", ["fr", "ES", "en-US", "", "es,en"])
def test_unknown_lang_is_a_problem(client, lang):
    response = client.get("/api/v1/search/", {"q": "ketamina", "lang": lang})
    assert_invalid_parameter(response, "lang")


@pytest.mark.parametrize(
    "q", ["ñandú", "¿Qué es la ketamina?", "🧠 depresión", "ケタミン", "\x00depresión", "  ,;!  "]
)
def test_any_unicode_text_is_searched_without_error(client, articles, q):
    response = search(client, q, lang="es")
    assert response.json()["language"] == "es"


def test_a_question_in_spanish_finds_its_answer(client, articles):
    assert slugs(search(client, "¿Qué es la depresión?", lang="es")) == ["depression"]


def test_blank_query_is_a_problem_in_spanish_too(client):
    assert_invalid_parameter(client.get("/api/v1/search/", {"q": "  ", "lang": "es"}), "q")


def test_suggest_completes_spanish_titles(client, articles):
    response = client.get("/api/v1/search/suggest/", {"q": "ketamina y t", "lang": "es"})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "es"
    assert response["Content-Language"] == "es"
    assert [s["title"] for s in body["suggestions"]] == ["Ketamina y TEC"]
    accented = client.get("/api/v1/search/suggest/", {"q": "la ketamina y la depres", "lang": "es"})
    assert [s["slug"] for s in accented.json()["suggestions"]] == ["depression"]
    english = client.get("/api/v1/search/suggest/", {"q": "ketamina"}).json()
    assert english["suggestions"] == []


def test_suggest_rejects_an_unknown_lang(client):
    response = client.get("/api/v1/search/suggest/", {"q": "ket", "lang": "de"})
    assert_invalid_parameter(response, "lang")
