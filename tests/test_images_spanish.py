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
