"""
Hostile input to the write API is a 400 problem naming the field, on every database, and nothing
is saved: characters no database can store (NUL, lone surrogates), nesting deeper than any
document needs, and in every writable field of every write endpoint, tag slugs included.
"""

import json

import pytest
from rest_framework import serializers

from api.parsers import MAX_DEPTH
from api.policies import write_serializer_class
from api.urls import router
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    GlossaryEntryFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.images import make_image
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db

FACTORIES = {
    "articles": ArticleFactory,
    "faqs": FAQFactory,
    "research": ResearchSummaryFactory,
    "glossary": GlossaryEntryFactory,
    "conditions": ConditionFactory,
    "topics": TopicFactory,
}


def writable_fields():
    """Yield (prefix, field name, whether it takes a list) for every write endpoint's fields."""
    for prefix, viewset, _ in router.registry:
        serializer_class = write_serializer_class(viewset)
        if serializer_class is None:
            continue
        for name, field in serializer_class().fields.items():
            if not field.read_only:
                yield prefix, name, isinstance(field, serializers.ListField)


WRITABLE_FIELDS = sorted(field for field in writable_fields() if field[0] != "images")
# The media library's fields, written by editors who hold its permissions (see image_api).
IMAGE_FIELDS = sorted(field for field in writable_fields() if field[0] == "images")
HOSTILE_STRINGS = {"nul": "before\x00after", "lone-surrogate": "before\ud800after"}


def test_every_write_endpoint_is_covered():
    assert {prefix for prefix, _, _ in WRITABLE_FIELDS} == set(FACTORIES)
    assert {prefix for prefix, _, _ in IMAGE_FIELDS} == {"images"}


def send(editor_api, method, url, document):
    # ensure_ascii writes "\u0000" and "\ud800" as the escapes a client would send.
    body = json.dumps(document, ensure_ascii=True)
    return getattr(editor_api, method)(url, data=body, content_type="application/json")


def assert_refused_field(response, pointer):
    body = assert_problem(response, 400)
    name = pointer.split("/")[1]
    assert name in body["detail"]
    assert [error["pointer"] for error in body["errors"]] == [pointer], body
    return body


def unchanged(editor_api, url, before):
    return editor_api.get(url).json() == before


@pytest.mark.parametrize("kind", sorted(HOSTILE_STRINGS))
@pytest.mark.parametrize(("prefix", "name", "is_list"), WRITABLE_FIELDS)
def test_unstorable_characters_are_refused_by_field(editor_api, prefix, name, is_list, kind):
    url = f"/api/v1/{prefix}/{FACTORIES[prefix]().slug}/"
    before = editor_api.get(url).json()
    hostile = HOSTILE_STRINGS[kind]
    value, pointer = ([hostile], f"/{name}/0") if is_list else (hostile, f"/{name}")

    body = assert_refused_field(send(editor_api, "patch", url, {name: value}), pointer)
    assert "cannot be stored" in body["errors"][0]["detail"]
    assert unchanged(editor_api, url, before)

    response = send(editor_api, "post", f"/api/v1/{prefix}/", {name: value})
    assert_refused_field(response, pointer)
    assert FACTORIES[prefix]._meta.model.objects.count() == 1


@pytest.mark.parametrize(("prefix", "name", "is_list"), WRITABLE_FIELDS)
def test_deep_nesting_is_refused_by_field(editor_api, prefix, name, is_list):
    url = f"/api/v1/{prefix}/{FACTORIES[prefix]().slug}/"
    before = editor_api.get(url).json()
    nested = "leaf"
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]

    body = assert_refused_field(send(editor_api, "patch", url, {name: nested}), f"/{name}")
    assert f"deeper than {MAX_DEPTH}" in body["errors"][0]["detail"]
    assert unchanged(editor_api, url, before)


@pytest.mark.parametrize("kind", sorted(HOSTILE_STRINGS))
@pytest.mark.parametrize(("prefix", "name", "is_list"), IMAGE_FIELDS)
def test_unstorable_characters_in_an_image_are_refused_by_field(
    image_api, media_root, prefix, name, is_list, kind
):
    url = f"/api/v1/{prefix}/{make_image().slug}/"
    before = image_api.get(url).json()

    response = send(image_api, "patch", url, {name: HOSTILE_STRINGS[kind]})
    body = assert_refused_field(response, f"/{name}")
    assert "cannot be stored" in body["errors"][0]["detail"]
    assert image_api.get(url).json() == before


def test_nesting_deeper_than_the_stack_is_a_400(editor_api):
    url = f"/api/v1/articles/{ArticleFactory().slug}/"
    body = '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = editor_api.patch(url, data=body, content_type="application/json")
    assert f"deeper than {MAX_DEPTH}" in assert_problem(response, 400)["detail"]


def test_an_unstorable_object_key_is_refused_without_echoing_it(editor_api):
    url = f"/api/v1/topics/{TopicFactory().slug}/"
    response = send(editor_api, "patch", url, {"na\ud800me": "x", "description": "fine"})
    body = assert_refused_field(response, "/na\\ud800me")
    assert "lone surrogate (U+D800)" in body["errors"][0]["detail"]


def test_a_nul_in_a_nested_value_is_located_exactly(editor_api):
    url = f"/api/v1/research/{ResearchSummaryFactory().slug}/"
    response = send(editor_api, "patch", url, {"key_findings": ["fine", "also fine", "\x00"]})
    assert_refused_field(response, "/key_findings/2")


def test_ordinary_unicode_is_stored(editor_api):
    url = f"/api/v1/topics/{TopicFactory().slug}/"
    text = "Ketamin: Wirkung, 氯胺酮, إدمان, emoji \U0001f9e0, zero width \u200b."
    response = send(editor_api, "patch", url, {"description": text})
    assert response.status_code == 200, response.content[:500]
    assert editor_api.get(url).json()["description"] == text
