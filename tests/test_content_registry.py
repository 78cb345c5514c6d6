"""
A fourth content type is one app and one `register()` call: nothing else names the types.

The throwaway type (tests/fourth_type: notes) is registered here alone, and forgotten after,
so the rest of the suite and the committed schema never see it; the schema is generated with
it in a process of its own.
"""

import importlib
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import clear_url_caches

from content import registry
from tests.factories import ArticleFactory, ConditionFactory
from tests.fourth_type.models import Note
from tests.fourth_type.registered import REGISTRATION


def reload_urls():
    import api.urls

    importlib.reload(api.urls)
    clear_url_caches()


@pytest.fixture
def notes(settings):
    # What the views evaluate once, when first imported (the sync parameters' type list),
    # they evaluate without the throwaway type, as a process that never registers it would.
    import api.urls  # noqa: F401

    registry.register(Note, **REGISTRATION)
    reload_urls()
    yield registry.get("note")
    registry.unregister("note")
    reload_urls()


def make_note(**kwargs):
    from tests.factories import sign_off_text

    tags = {name: kwargs.pop(name, []) for name in ("conditions", "topics")}
    note = Note.objects.create(
        slug="ketamine-note",
        title="A note on ketamine",
        body="Esketamine and receptors.",
        status="published",
        reviewer_name="Dr Note",
        last_reviewed="2026-01-15",
        **kwargs,
    )
    for name, values in tags.items():
        getattr(note, name).set(values)
    sign_off_text(note)
    return note


def test_the_registry_lists_the_types_in_registration_order():
    assert registry.type_names() == ["article", "faq", "research", "glossary"]
    assert [content_type.prefix for content_type in registry.content_types()] == [
        "articles",
        "faqs",
        "research",
        "glossary",
    ]
    assert registry.get("glossary").search_score_factor == 0.5


@pytest.mark.django_db
def test_a_registered_type_is_listed_indexed_and_served(client, notes):
    note = make_note()
    assert registry.type_names()[-1] == "note"

    listed = client.get("/api/v1/notes/").json()["results"]
    assert [(item["type"], item["slug"]) for item in listed] == [("note", note.slug)]
    detail = client.get(f"/api/v1/notes/{note.slug}/").json()
    assert detail["title"] == "A note on ketamine"
    assert client.get("/api/v1/").json()["notes"].endswith("/api/v1/notes/")


@pytest.mark.django_db
def test_a_registered_type_is_synced(client, notes):
    note = make_note()
    (change,) = client.get("/api/v1/sync/", {"type": "note"}).json()["changes"]
    assert (change["type"], change["slug"], change["action"]) == ("note", note.slug, "upsert")
    assert change["item"]["title"] == note.title
    everything = client.get("/api/v1/sync/").json()["changes"]
    assert ("note", note.slug) in {(change["type"], change["slug"]) for change in everything}


@pytest.mark.django_db
def test_a_registered_type_is_searched(client, notes):
    note = make_note()
    results = client.get("/api/v1/search/", {"q": "esketamine"}).json()["results"]
    assert [(result["type"], result["slug"]) for result in results] == [("note", note.slug)]
    typed = client.get("/api/v1/search/", {"q": "esketamine", "type": "note"})
    assert typed.status_code == 200


@pytest.mark.django_db
def test_a_registered_type_is_in_hubs_counts_and_related_content(client, notes):
    depression = ConditionFactory(slug="depression")
    note = make_note(conditions=[depression])
    article = ArticleFactory(conditions=[depression])

    condition = client.get("/api/v1/conditions/depression/").json()
    assert condition["content_counts"]["notes"] == 1
    assert [item["slug"] for item in condition["hub"]["notes"]] == [note.slug]
    related = client.get(f"/api/v1/articles/{article.slug}/").json()["related"]
    assert {"type": "note", "slug": note.slug}.items() <= related[0].items()


@pytest.mark.django_db
def test_an_unregistered_type_is_gone_everywhere(client):
    assert "note" not in registry.type_names()
    assert client.get("/api/v1/notes/").status_code == 404


def test_a_registered_type_is_exported_and_imported(db, notes, tmp_path):
    make_note()

    call_command("export_content", tmp_path, "--no-progress", stdout=io.StringIO())
    exported = (tmp_path / "notes" / "ketamine-note.md").read_text()
    assert "title: A note on ketamine" in exported
    assert exported.rstrip().endswith("Esketamine and receptors.")

    (tmp_path / "notes" / "ketamine-note.md").write_text(
        exported.replace("Esketamine and receptors.", "Esketamine, NMDA receptors.")
    )
    out = io.StringIO()
    call_command("import_content", tmp_path, "--no-progress", stdout=out)
    assert "1 of " in out.getvalue()
    assert Note.objects.get(slug="ketamine-note").body == "Esketamine, NMDA receptors."


@pytest.mark.django_db
def test_a_registered_type_is_in_the_sitemap(client, notes):
    note = make_note()
    assert f"/notes/{note.slug}/</loc>" in client.get("/sitemap.xml").content.decode()


def test_a_type_registered_in_its_app_is_documented_in_a_valid_schema_without_warnings(tmp_path):
    """In a process of its own, where the type is registered from the start, as in production:
    drf-spectacular and the serializers keep what they read of the registry for the process."""
    schema = tmp_path / "schema.yaml"
    subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            schema,
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.fourth_type.settings"},
        capture_output=True,
        check=True,
    )
    text = schema.read_text()
    assert "/api/v1/notes/{slug}/:" in text
    assert "operationId: listNotes" in text
    assert "NoteTypeEnum:" in text
