"""The committed openapi.yaml is exactly what the code generates, and it is valid OpenAPI 3."""

from io import StringIO
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from openapi_spec_validator import validate

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"


def generate_schema():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_committed_schema_matches_the_code():
    assert COMMITTED.read_text() == generate_schema(), (
        "openapi.yaml is stale: run `make schema` and commit it."
    )


def test_schema_is_valid_openapi():
    validate(yaml.safe_load(generate_schema()))


def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_docs_pages_render(client):
    for path in ("/api/docs/", "/api/redoc/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"<html" in response.content.lower()
