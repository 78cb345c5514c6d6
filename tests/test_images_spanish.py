"""
Image alt text in Spanish: translated with content's workflow and sign-off, shown in a Spanish
answer's hero and condition images once published (never a draft), read in the same queries.
"""

import pytest
from django.test import Client

from editorial.services import translation_move
from publishing.models import Translation
from tests.conftest import make_user
from tests.factories import ArticleFactory, ConditionFactory
from tests.images import make_image
from tests.test_query_counts import queries_of
from tests.test_spanish import SPANISH_ARTICLE, reviewer, translate, translator  # noqa: F401

pytestmark = pytest.mark.django_db

SPANISH_ALT = {"alt_text": "El receptor dibujado como un canal."}


@pytest.fixture
def image(translator, reviewer):  # noqa: F811
    image = make_image(alt_text="The receptor drawn as a channel.")
    translate(image, SPANISH_ALT, translator=translator, reviewer=reviewer)
    return image


@pytest.fixture
def article(image, translator, reviewer):  # noqa: F811
    article = ArticleFactory(slug="nmda", image=image)
    translate(article, SPANISH_ARTICLE, translator=translator, reviewer=reviewer)
    return article


def test_a_spanish_answer_shows_the_spanish_alt_text(client, article):
    detail = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert detail["image"]["alt_text"] == SPANISH_ALT["alt_text"]
    listed = client.get("/api/v1/articles/", HTTP_ACCEPT_LANGUAGE="es").json()["results"]
    assert listed[0]["image"]["alt_text"] == SPANISH_ALT["alt_text"]
    english = client.get("/api/v1/articles/nmda/").json()
    assert english["image"]["alt_text"] == "The receptor drawn as a channel."


def test_a_condition_image_follows_the_condition_language(client, image, translator, reviewer):  # noqa: F811
    condition = ConditionFactory(slug="ptsd", image=image)
    assert client.get("/api/v1/conditions/ptsd/?lang=es").json()["image"]["alt_text"] == (
        "The receptor drawn as a channel."  # the condition itself is not in Spanish yet
    )
    translate(
        condition,
        {"name": "TEPT", "description": "Una descripción."},
        translator=translator,
        reviewer=reviewer,
    )
    data = client.get("/api/v1/conditions/ptsd/?lang=es").json()
    assert data["image"]["alt_text"] == SPANISH_ALT["alt_text"]


def test_an_unpublished_alt_text_is_never_served(client, article, image, reviewer):  # noqa: F811
    translation = Translation.objects.of(image).get()
    translation_move(translation=translation, target="draft", actor=reviewer)
    detail = client.get("/api/v1/articles/nmda/?lang=es").json()
    assert detail["language"] == "es"
    assert detail["image"]["alt_text"] == "The receptor drawn as a channel."


def test_a_changed_english_alt_text_flags_the_translation_out_of_date(image):
    image.alt_text = "The NMDA receptor drawn as a channel."
    image.save()
    editor = Client()
    editor.force_login(make_user("editor", superuser=True))
    listing = editor.get("/admin/publishing/translation/?out_of_date=yes")
    assert f"image {image.pk} (es)".encode() in listing.content


def test_spanish_answers_with_images_cost_the_queries_of_english_ones(client, article):
    for path in ("/api/v1/articles/nmda/", "/api/v1/articles/"):
        _, english = queries_of(lambda path=path: client.get(path))
        response, spanish = queries_of(lambda path=path: client.get(f"{path}?lang=es"))
        assert response["Content-Language"] == "es"
        assert spanish == english


def test_the_library_negotiates_the_alt_texts_language(client, image, reviewer):  # noqa: F811
    path = f"/api/v1/images/{image.slug}/"
    spanish = client.get(path, {"lang": "es"})
    assert spanish["Content-Language"] == "es"
    assert "Accept-Language" in spanish["Vary"]
    data = spanish.json()
    assert (data["language"], data["is_fallback"]) == ("es", False)
    assert data["alt_text"] == SPANISH_ALT["alt_text"]
    assert data["translations"][0]["url"].endswith(f"{path}?lang=en")
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["language"], english["alt_text"]) == ("en", "The receptor drawn as a channel.")
    assert english["translations"][0]["url"].endswith(f"{path}?lang=es")
    listed = client.get("/api/v1/images/", HTTP_ACCEPT_LANGUAGE="es-MX").json()["results"]
    assert [item["alt_text"] for item in listed] == [SPANISH_ALT["alt_text"]]
    # Withdrawn, it is English again, marked; without fallback it is gone.
    translation_move(
        translation=Translation.objects.of(image).get(), target="draft", actor=reviewer
    )
    data = client.get(path, {"lang": "es"}).json()
    assert (data["language"], data["is_fallback"]) == ("en", True)
    assert data["alt_text"] == "The receptor drawn as a channel."
    assert client.get(path, {"lang": "es", "fallback": "false"}).status_code == 404
    assert client.get("/api/v1/images/", {"lang": "es", "fallback": "false"}).json()["count"] == 0
    assert client.get("/api/v1/images/", {"lang": "fr"}).status_code == 400


def test_the_library_in_spanish_costs_the_queries_of_english(client, image):
    for path in ("/api/v1/images/", f"/api/v1/images/{image.slug}/"):
        _, english = queries_of(lambda path=path: client.get(path))
        _, spanish = queries_of(lambda path=path: client.get(path, {"lang": "es"}))
        assert spanish == english
