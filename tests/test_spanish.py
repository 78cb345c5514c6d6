"""
Spanish translations of articles and FAQs through the read API: negotiated by `?lang=` or
Accept-Language, served only once published, English (marked) where missing, and never mixed
with English in a cached answer or ETag.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import Client

from editorial.services import (
    translation_move,
    translation_save,
    translation_sign_off,
)
from publishing.models import Translation, TranslationStatus
from tests.conftest import make_user
from tests.factories import ArticleFactory, FAQFactory, ReviewerFactory
from tests.problems import assert_invalid_parameter
from tests.test_caching_early_answers import stack_refused

pytestmark = pytest.mark.django_db

SPANISH_ARTICLE = {
    "title": "La ketamina y el receptor NMDA",
    "summary": "Cómo actúa, en pocas palabras.",
    "body": "## Primera parte\n\nUnas palabras sobre los receptores.\n\n## Segunda parte\n\nMás.",
}
SPANISH_FAQ = {"question": "¿Qué tan rápido actúa?", "answer": "Una *respuesta*."}


@pytest.fixture
def translator():
    return make_translator()


@pytest.fixture
def reviewer():
    return make_reviewer()


def make_translator():
    return make_user("translator", permissions=[("articles", "change_article")])


def make_reviewer():
    user = make_user(
        "reviewer",
        permissions=[
            ("publishing", "sign_off_medical_review"),
            ("publishing", "publish_content"),
            ("publishing", "view_translation"),
            ("publishing", "change_translation"),
        ],
    )
    ReviewerFactory(user=user)
    return user


def translate(entry, fields, *, translator, reviewer, publish=True):
    """Write the entry's Spanish text, sign it off and, unless told not to, publish it."""
    translation = translation_save(entry=entry, language="es", fields=fields, actor=translator)
    translation = translation_sign_off(translation=translation, actor=reviewer)
    translation = translation_move(translation=translation, target="in_review", actor=reviewer)
    if publish:
        translation = translation_move(translation=translation, target="published", actor=reviewer)
    entry.refresh_from_db()
    return translation


@pytest.fixture
def article(translator, reviewer):
    article = ArticleFactory(slug="nmda", title="Ketamine and the NMDA receptor")
    translate(article, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    return article


def test_lang_parameter_serves_the_published_spanish_detail(client, article):
    response = client.get("/api/v1/articles/nmda/?lang=es")
    assert response.status_code == 200
    data = response.json()
    assert data["language"] == "es"
    assert data["is_fallback"] is False
    assert data["title"] == "La ketamina y el receptor NMDA"
    assert data["summary"] == "Cómo actúa, en pocas palabras."
    assert "Unas palabras sobre los receptores." in data["body_html"]
    assert [entry["title"] for entry in data["table_of_contents"]] == [
        "Primera parte",
        "Segunda parte",
    ]
    assert data["structured_data"]["name"] == data["title"]
    assert data["seo"]["title"] == data["title"]
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    assert data["translations"] == [
        {"language": "en", "url": "http://testserver/api/v1/articles/nmda/?lang=en"}
    ]


def test_english_is_the_default_and_names_its_spanish_translation(client, article):
    data = client.get("/api/v1/articles/nmda/").json()
    assert data["language"] == "en"
    assert data["is_fallback"] is False
    assert data["title"] == "Ketamine and the NMDA receptor"
    assert data["translations"] == [
        {"language": "es", "url": "http://testserver/api/v1/articles/nmda/?lang=es"}
    ]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("fr-CA,fr;q=0.9,es;q=0.4", "es"),
        ("en-GB,es;q=0.8", "en"),
        ("de", "en"),
        ("", "en"),
        ("es;q=0", "en"),
    ],
)
def test_accept_language_negotiates(client, article, header, language):
    response = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.json()["language"] == language
    assert response["Content-Language"] == language


def test_lang_parameter_wins_over_accept_language(client, article):
    response = client.get("/api/v1/articles/nmda/?lang=en", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["language"] == "en"
    response = client.get("/api/v1/articles/nmda/?lang=es", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["language"] == "es"


def test_list_in_spanish_falls_back_to_english_and_says_so(client, article):
    ArticleFactory(slug="untranslated", title="Only in English")
    response = client.get("/api/v1/articles/?lang=es")
    items = {item["slug"]: item for item in response.json()["results"]}
    assert items["nmda"]["language"] == "es"
    assert items["nmda"]["title"] == "La ketamina y el receptor NMDA"
    assert items["untranslated"]["language"] == "en"
    assert items["untranslated"]["is_fallback"] is True
    assert items["untranslated"]["title"] == "Only in English"
    assert items["untranslated"]["translations"] == []
    assert response["Content-Language"] == "es, en"


def test_without_fallback_missing_translations_are_left_out(client, article):
    ArticleFactory(slug="untranslated")
    response = client.get("/api/v1/articles/?lang=es&fallback=false")
    body = response.json()
    assert body["count"] == 1
    assert [item["slug"] for item in body["results"]] == ["nmda"]
    assert client.get("/api/v1/articles/untranslated/?lang=es&fallback=false").status_code == 404
    detail = client.get("/api/v1/articles/untranslated/?lang=es")
    assert detail.json()["is_fallback"] is True


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_unpublished_translations_are_never_served(
    client, translator, reviewer, django_assert_max_num_queries, status
):
    entry = ArticleFactory(slug="draft-es", title="English title")
    translation = translate(
        entry, SPANISH_ARTICLE, translator=translator, reviewer=reviewer, publish=False
    )
    if status == "draft":
        translation_move(translation=translation, target="draft", actor=reviewer)
    detail = client.get("/api/v1/articles/draft-es/?lang=es").json()
    assert detail["language"] == "en"
    assert detail["title"] == "English title"
    assert "Primera" not in detail["body_html"]
    listed = client.get("/api/v1/articles/?lang=es&fallback=false").json()
    assert listed["count"] == 0
    assert client.get("/api/v1/articles/draft-es/?lang=es&fallback=false").status_code == 404
    english = client.get("/api/v1/articles/draft-es/").json()
    assert english["translations"] == []


def test_a_cached_answer_is_never_served_in_another_language(client, article):
    """Both through the answer cache and the early answers (api/public_answers.py)."""
    for _ in range(2):  # the second round is answered from the cache
        english = client.get("/api/v1/articles/nmda/")
        spanish = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE="es")
        by_param = client.get("/api/v1/articles/nmda/?lang=es")
        assert english.json()["language"] == "en"
        assert english["Content-Language"] == "en"
        assert spanish.json()["language"] == "es"
        assert spanish["Content-Language"] == "es"
        assert by_param.json()["language"] == "es"
    assert english["ETag"] != spanish["ETag"]
    assert english["ETag"] != by_param["ETag"]
    assert "Accept-Language" in spanish["Vary"]


def test_early_answers_key_on_the_negotiated_language(client, article):
    """Hits answered before the stack (api/public_answers.py) keep the languages apart."""
    for header in ("en", "es"):
        client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE=header)
    patches = stack_refused()
    try:
        english = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE="en-US")
        spanish = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    finally:
        for patch in patches:
            patch.stop()
    assert english.json()["language"] == "en"
    assert english["Content-Language"] == "en"
    assert spanish.json()["language"] == "es"
    assert spanish["Content-Language"] == "es"
    assert "Accept-Language" in spanish["Vary"]


def test_sync_items_are_english_and_name_their_translations(client, article):
    changes = client.get("/api/v1/sync/").json()["changes"]
    (item,) = [change["item"] for change in changes if change["slug"] == "nmda"]
    assert item["language"] == "en"
    assert item["title"] == "Ketamine and the NMDA receptor"
    assert [link["language"] for link in item["translations"]] == ["es"]


def test_an_english_etag_does_not_validate_the_spanish_answer(client, article):
    english = client.get("/api/v1/articles/")
    again = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 304
    spanish = client.get(
        "/api/v1/articles/", HTTP_IF_NONE_MATCH=english["ETag"], HTTP_ACCEPT_LANGUAGE="es"
    )
    assert spanish.status_code == 200
    assert spanish.json()["results"][0]["language"] == "es"


def test_publishing_a_translation_renews_cached_answers(client, translator, reviewer):
    entry = ArticleFactory(slug="later")
    assert client.get("/api/v1/articles/later/?lang=es").json()["language"] == "en"
    translate(entry, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    assert client.get("/api/v1/articles/later/?lang=es").json()["language"] == "es"


def test_unsupported_language_is_a_problem(client, article):
    for url in ("/api/v1/articles/?lang=fr", "/api/v1/articles/nmda/?lang=xx"):
        assert_invalid_parameter(client.get(url), "lang")
    assert_invalid_parameter(client.get("/api/v1/faqs/?lang=es&fallback=no"), "fallback")


def test_unsupported_accept_language_is_english_not_an_error(client, article):
    response = client.get("/api/v1/articles/nmda/", HTTP_ACCEPT_LANGUAGE="xx-YY, ;;q=abc")
    assert response.status_code == 200
    assert response.json()["language"] == "en"


def test_faq_in_spanish_keeps_unicode(client, translator, reviewer):
    faq = FAQFactory(slug="speed", question="How fast does it work?")
    translate(faq, SPANISH_FAQ, translator=translator, reviewer=reviewer)
    response = client.get("/api/v1/faqs/speed/?lang=es")
    data = response.json()
    assert data["question"] == "¿Qué tan rápido actúa?"
    assert "<em>respuesta</em>" in data["answer_html"]
    assert data["answer_text"].strip() == "Una respuesta."
    assert data["glossary_terms"] == []
    assert "¿Qué tan rápido actúa?".encode() in response.content
    listed = client.get("/api/v1/faqs/?lang=es&fields=slug,question,language").json()
    assert listed["results"] == [
        {"slug": "speed", "question": "¿Qué tan rápido actúa?", "language": "es"}
    ]


def test_english_edit_flags_the_signed_off_translation_out_of_date(article, reviewer):
    translation = Translation.objects.get()
    models_by_kind = {"article": type(article)}
    assert not translation.is_out_of_date(article)
    assert not Translation.objects.out_of_date(models_by_kind).exists()
    article.body += "\n\nA new English paragraph."
    article.save()
    article.refresh_from_db()
    assert translation.is_out_of_date(article)
    assert list(Translation.objects.out_of_date(models_by_kind)) == [translation]


def test_spanish_edit_leaves_english_alone_and_needs_a_new_sign_off(article, translator, reviewer):
    english_digest = article.text_digest
    translation = translation_save(
        entry=article, language="es", fields={"title": "Otro título"}, actor=translator
    )
    article.refresh_from_db()
    assert article.text_digest == english_digest
    assert translation.status == TranslationStatus.IN_REVIEW
    assert translation.sign_off is None
    with pytest.raises(ValidationError):
        translation_move(translation=translation, target="published", actor=reviewer)


def test_out_of_date_translation_cannot_be_published_until_signed_off_again(
    article, translator, reviewer
):
    translation = Translation.objects.get()
    translation_move(translation=translation, target="in_review", actor=reviewer)
    article.summary = "A changed English summary."
    article.save()
    with pytest.raises(ValidationError, match="English text changed"):
        translation_move(translation=translation, target="published", actor=reviewer)
    translation_sign_off(translation=translation, actor=reviewer)
    translation = translation_move(translation=translation, target="published", actor=reviewer)
    article.refresh_from_db()
    assert not translation.is_out_of_date(article)


def test_translator_cannot_sign_off_own_translation(translator):
    ReviewerFactory(user=translator)
    translator.user_permissions.add(Permission.objects.get(codename="sign_off_medical_review"))
    translator = type(translator).objects.get(pk=translator.pk)
    entry = ArticleFactory()
    translation = translation_save(
        entry=entry, language="es", fields=SPANISH_ARTICLE, actor=translator
    )
    with pytest.raises(ValidationError, match="someone else"):
        translation_sign_off(translation=translation, actor=translator)


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_editor_translates_signs_off_and_publishes_in_the_admin(client, translator, reviewer):
    editor = make_user("editor", superuser=True)
    entry = FAQFactory(slug="admin-es", question="How fast does it work?")
    editing = admin_client(editor)
    added = editing.post(
        "/admin/publishing/translation/add/",
        {"entry_choice": f"faq:{entry.pk}", "language": "es"},
    )
    assert added.status_code == 302, added.content[:2000]
    translation = Translation.objects.get()
    url = f"/admin/publishing/translation/{translation.pk}/change/"
    assert added["Location"] == url  # straight on to writing the text
    form = editing.get(url)
    assert b"How fast does it work?" in form.content  # the English beside the Spanish
    changed = editing.post(url, {**SPANISH_FAQ, "seo_title": "", "seo_description": ""})
    assert changed.status_code == 302, changed.content[:2000]
    translation.refresh_from_db()
    assert translation.status == TranslationStatus.DRAFT
    assert translation.text_author == editor
    for user, action in [(reviewer, "sign_off"), (reviewer, "submit_for_review")]:
        admin_client(user).post(
            "/admin/publishing/translation/",
            {"action": action, "_selected_action": [translation.pk]},
        )
    assert client.get("/api/v1/faqs/admin-es/?lang=es").json()["language"] == "en"
    admin_client(reviewer).post(
        "/admin/publishing/translation/",
        {"action": "publish", "_selected_action": [translation.pk]},
    )
    translation.refresh_from_db()
    assert translation.status == TranslationStatus.PUBLISHED
    assert translation.sign_off.reviewer.user == reviewer
    data = client.get("/api/v1/faqs/admin-es/?lang=es").json()
    assert data["question"] == "¿Qué tan rápido actúa?"


def test_admin_lists_out_of_date_translations(article, reviewer):
    editor = make_user("editor", superuser=True)
    listing = admin_client(editor).get("/admin/publishing/translation/?out_of_date=yes")
    assert listing.status_code == 200
    assert f"article {article.pk} (es)".encode() not in listing.content
    article.title = "Ketamine and NMDA receptors"
    article.save()
    listing = admin_client(editor).get("/admin/publishing/translation/?out_of_date=yes")
    assert f"article {article.pk} (es)".encode() in listing.content
    assert b"Ketamine and NMDA receptors" in listing.content


def test_ready_made_groups_work_on_translations():
    granted = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert "change_translation" in granted["Editor"]
    assert "view_translation" in granted["Medical reviewer"]
    assert "change_translation" not in granted["Medical reviewer"]
    assert "change_translation" in granted["Publisher"]


def search_slugs(client, words, language):
    response = client.get("/api/v1/search/", {"q": words, "lang": language})
    return [hit["slug"] for hit in response.json()["results"]]


def test_published_translations_are_searched_in_spanish(client, translator, reviewer):
    entry = ArticleFactory(slug="nmda", title="Ketamine and the NMDA receptor")
    translation = translate(
        entry, SPANISH_ARTICLE, translator=translator, reviewer=reviewer, publish=False
    )
    assert search_slugs(client, "palabras", "es") == []
    translation = translation_move(translation=translation, target="published", actor=reviewer)
    assert search_slugs(client, "palabras", "es") == ["nmda"]
    assert search_slugs(client, "palabras", "en") == []
    translation_move(translation=translation, target="draft", actor=reviewer)
    assert search_slugs(client, "palabras", "es") == []


def test_readability_and_reading_time_are_those_of_the_spanish_text(client, translator, reviewer):
    long_spanish = {
        **SPANISH_ARTICLE,
        "body": "La ketamina actúa sobre el receptor del glutamato en el cerebro. " * 300,
    }
    entry = ArticleFactory(slug="lectura", title="Reading", body="Short English body.")
    english = client.get("/api/v1/articles/lectura/").json()
    translate(entry, long_spanish, translator=translator, reviewer=reviewer)
    spanish = client.get("/api/v1/articles/lectura/", {"lang": "es"}).json()
    assert spanish["language"] == "es"
    assert spanish["readability"]["words"] == 3300
    assert spanish["readability"]["sentences"] == 300
    assert spanish["reading_time_minutes"] == 15  # 3,300 words at 220 a minute
    assert english["reading_time_minutes"] == 1
    assert client.get("/api/v1/articles/lectura/").json()["readability"] == english["readability"]
    listed = client.get("/api/v1/articles/", {"lang": "es"}).json()["results"]
    assert [item["reading_time_minutes"] for item in listed] == [15]


def test_an_unpublished_translation_lends_no_figures(client, translator, reviewer):
    entry = ArticleFactory(slug="sin-publicar", body="Short English body.")
    english = client.get("/api/v1/articles/sin-publicar/").json()
    spanish_body = {**SPANISH_ARTICLE, "body": "Una frase. " * 500}
    translate(entry, spanish_body, translator=translator, reviewer=reviewer, publish=False)
    detail = client.get("/api/v1/articles/sin-publicar/", {"lang": "es"}).json()
    assert detail["language"] == "en"
    assert detail["readability"] == english["readability"]
    assert detail["reading_time_minutes"] == english["reading_time_minutes"]
