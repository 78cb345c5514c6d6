"""The committed openapi.yaml is exactly what the code generates, and it is valid OpenAPI 3."""

import json
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


def test_schema_is_served_as_committed(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response.content == COMMITTED.read_bytes()


def test_schema_is_served_as_json_too(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == yaml.safe_load(COMMITTED.read_text())


def test_compact_yaml_is_drf_spectacular_document():
    """Writing the schema compactly changes its lines, never what it says."""
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    assert yaml.safe_load(COMMITTED.read_text()) == json.loads(out.getvalue())


def test_schema_stays_under_five_thousand_lines():
    """What many operations share is stated once; a file past this has started inlining again."""
    assert len(COMMITTED.read_text().splitlines()) < 5000


def test_docs_pages_render(client):
    for path in ("/api/docs/", "/api/redoc/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"<html" in response.content.lower()


def _resolved(schema, value):
    while "$ref" in value:
        kind, name = value["$ref"].split("/")[-2:]
        value = schema["components"][kind][name]
    return value


def test_every_operation_has_examples_of_its_answer_and_body():
    """Each success answer with a body, and each request body, shows one from the demo content."""
    schema = yaml.safe_load(COMMITTED.read_text())
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            bodies = [
                (status, media, content)
                for status, answer in operation["responses"].items()
                if status.startswith("2")
                for media, content in _resolved(schema, answer).get("content", {}).items()
            ]
            request = operation.get("requestBody", {}).get("content", {})
            bodies += [("request", media, content) for media, content in request.items()]
            missing += [
                f"{method.upper()} {path} {status} {media}"
                for status, media, content in bodies
                if not content.get("examples") and "example" not in content
            ]
            if not bodies and method != "delete":
                missing.append(f"{method.upper()} {path}: no body at all")
    assert missing == []


def test_shared_parts_are_stated_once():
    """Operations refer to the usual security, shared answers and a page's links by name."""
    schema = yaml.safe_load(COMMITTED.read_text())
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert schema["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    # Public reads say they need nothing; the default is never restated.
    assert all(op.get("security") != schema["security"] for op in operations)
    assert {} in schema["paths"]["/api/v1/articles/"]["get"]["security"]
    # Gunicorn's 414 wherever a client's values go into the request line, and only there.
    too_long = {"$ref": "#/components/responses/URITooLong"}
    assert schema["paths"]["/api/v1/sync/"]["get"]["responses"]["414"] == too_long
    assert schema["paths"]["/api/v1/articles/{slug}/"]["put"]["responses"]["414"] == too_long
    assert "414" not in schema["paths"]["/healthz"]["get"]["responses"]
    assert schema["components"]["schemas"]["PaginatedArticleList"]["allOf"][0] == {
        "$ref": "#/components/schemas/Page"
    }
    assert all(
        "$ref" in answer
        for op in operations
        for status, answer in op["responses"].items()
        if not status.startswith("2")
    ), "every problem answer is a component"


def test_transport_and_server_problems_are_each_operations_default():
    """406, 413, 429 and 503 are the `default` problem; an operation lists its own rules' errors."""
    schema = yaml.safe_load(COMMITTED.read_text())
    operations = [op for item in schema["paths"].values() for op in item.values()]
    other = {"$ref": "#/components/responses/OtherProblem"}
    assert all(op["responses"]["default"] == other for op in operations)
    assert not any(
        status in op["responses"] for op in operations for status in ("406", "413", "429")
    )
    # A probe's own 503 says which check failed: it stays listed.
    ready = schema["paths"]["/readyz"]["get"]["responses"]
    assert ready["503"] == {"$ref": "#/components/responses/NotReady"}
    article = schema["paths"]["/api/v1/articles/{slug}/"]["put"]["responses"]
    assert {"400", "401", "403", "404", "409", "412", "414"} <= set(article)
    answer = schema["components"]["responses"]["OtherProblem"]
    assert set(answer["content"]) == {"application/problem+json"}
    assert "Retry-After" in answer["headers"]


def test_a_choice_list_is_stated_once_and_only_when_it_says_more_than_the_values():
    """`* `value` - label` lines are kept on the enum, and only where a label adds meaning."""
    schemas = yaml.safe_load(COMMITTED.read_text())["components"]["schemas"]
    assert "* `rct` - Randomised controlled trial" in schemas["StudyDesignEnum"]["description"]
    assert "* `info` - Information" in schemas["SeverityEnum"]["description"]
    # `draft` - Draft says nothing more than the value; a write's own text on it stays.
    status = schemas["PatchedArticleWriteRequest"]["properties"]["status"]["description"]
    assert status.startswith("New entries start as draft") and "* `" not in status
    # `ok` - ok says nothing the enum does not.
    assert "description" not in schemas["CheckStateEnum"]
