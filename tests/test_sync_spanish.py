"""
`lang` is part of the sync's scope: `?lang=es` mirrors each item as its Spanish detail (English,
marked, where the translation is not published), a translation published, withdrawn or edited
is an upsert, and a cursor of one language is refused in a sync of another.
"""

import pytest

from api.sync import SIGNER
from editorial.services import translation_move, translation_save, translation_sign_off
from tests.factories import FAQFactory
from tests.problems import assert_invalid_parameter
from tests.test_spanish import SPANISH_FAQ, article, reviewer, translate, translator
from tests.test_sync_api import App, assert_restart

pytestmark = pytest.mark.django_db

__all__ = ["article", "reviewer", "translator"]  # fixtures


def without_related(item):
    # Related items' order among equals is not the detail's concern here.
    return {key: value for key, value in item.items() if key != "related"}


def test_spanish_sync_holds_the_spanish_details(client, article):
    FAQFactory(slug="untranslated")
    app = App(client, lang="es")
    app.sync()
    spanish = app.items[("article", "nmda")]
    assert spanish["language"] == "es"
    assert spanish["is_fallback"] is False
    assert spanish["title"] == "La ketamina y el receptor NMDA"
    detail = client.get("/api/v1/articles/nmda/", {"lang": "es"}).json()
    assert without_related(spanish) == without_related(detail)
    fallback = app.items[("faq", "untranslated")]
    assert (fallback["language"], fallback["is_fallback"]) == ("en", True)


def test_english_sync_is_unchanged_by_default(client, article):
    app = App(client)
    app.sync()
    assert app.items[("article", "nmda")]["language"] == "en"
    assert (
        App(client, lang="en").fetch()["changes"] == client.get("/api/v1/sync/").json()["changes"]
    )


def test_a_cursor_of_another_language_asks_to_start_over(client, article):
    spanish = App(client, lang="es")
    spanish.sync()
    assert_restart(client.get("/api/v1/sync/", {"cursor": spanish.cursor}))
    assert_restart(client.get("/api/v1/sync/", {"cursor": spanish.cursor, "lang": "en"}))
    english = App(client)
    english.sync()
    assert_restart(client.get("/api/v1/sync/", {"cursor": english.cursor, "lang": "es"}))
    # Accept-Language is not the sync's language: the Spanish cursor needs `lang=es`.
    assert_restart(
        client.get("/api/v1/sync/", {"cursor": spanish.cursor}, HTTP_ACCEPT_LANGUAGE="es")
    )


def test_a_cursor_issued_before_languages_is_an_english_one(client, article):
    english = App(client)
    english.sync()
    data = SIGNER.unsign_object(english.cursor)
    del data["g"]
    old = SIGNER.sign_object(data, compress=True)
    assert client.get("/api/v1/sync/", {"cursor": old}).status_code == 200
    assert_restart(client.get("/api/v1/sync/", {"cursor": old, "lang": "es"}))


def test_translation_changes_are_upserts_in_the_spanish_sync(client, translator, reviewer):
    faq = FAQFactory(slug="speed")
    app = App(client, lang="es")
    app.sync()
    assert app.items[("faq", "speed")]["language"] == "en"

    translation = translate(faq, SPANISH_FAQ, translator=translator, reviewer=reviewer)
    app.seen.clear()
    app.sync()
    assert [(c["slug"], c["action"]) for c in app.seen] == [("speed", "upsert")]
    assert app.items[("faq", "speed")]["question"] == SPANISH_FAQ["question"]

    # An edit sends the published translation back to review: English again, until published.
    edited = {**SPANISH_FAQ, "answer": "Otra *respuesta*."}
    translation = translation_save(entry=faq, language="es", fields=edited, actor=translator)
    app.sync()
    assert app.items[("faq", "speed")]["is_fallback"] is True
    translation = translation_sign_off(translation=translation, actor=reviewer)
    translation_move(translation=translation, target="published", actor=reviewer)
    app.sync()
    assert "Otra" in app.items[("faq", "speed")]["answer_html"]

    translation.refresh_from_db()
    translation_move(translation=translation, target="draft", actor=reviewer)
    app.seen.clear()
    app.sync()
    assert [(c["slug"], c["action"]) for c in app.seen] == [("speed", "upsert")]
    assert app.items[("faq", "speed")]["language"] == "en"


def test_unsupported_language_is_a_problem(client):
    assert_invalid_parameter(client.get("/api/v1/sync/", {"lang": "fr"}), "lang")
