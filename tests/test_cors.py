"""
Scripts on the clinic's configured frontends may read the API across origins; others may not.

Only reads are allowed (GET, HEAD, OPTIONS), and the validators of conditional requests are
exposed to the script; the contact form alone also takes a POST of JSON.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FRONTEND = "https://app.clinic.example"
OTHER = "https://elsewhere.example"


@pytest.fixture(autouse=True)
def frontend_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND, "http://localhost:3000"]


def preflight(client, path, origin, method="GET", headers=""):
    extra = {"HTTP_ORIGIN": origin, "HTTP_ACCESS_CONTROL_REQUEST_METHOD": method}
    if headers:
        extra["HTTP_ACCESS_CONTROL_REQUEST_HEADERS"] = headers
    return client.options(path, **extra)


def methods(response):
    return {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}


@pytest.mark.parametrize("origin", [FRONTEND, "http://localhost:3000"])
def test_configured_origin_may_read(client, origin):
    article = ArticleFactory()
    for path in ("/api/v1/articles/", f"/api/v1/articles/{article.slug}/"):
        response = client.get(path, HTTP_ORIGIN=origin)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == origin
        assert "Access-Control-Allow-Credentials" not in response
        exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
        assert {"etag", "last-modified"} <= exposed


def test_errors_carry_cors_headers_too(client):
    response = client.get("/api/v1/articles/?conditon=ptsd", HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == FRONTEND


def test_other_origin_gets_no_cors_headers(client):
    ArticleFactory()
    response = client.get("/api/v1/articles/", HTTP_ORIGIN=OTHER)
    assert response.status_code == 200
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_preflight_from_configured_origin_allows_reads_only(client):
    response = preflight(client, "/api/v1/articles/", FRONTEND, headers="if-none-match")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert methods(response) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_preflight_from_other_origin_is_not_allowed(client):
    response = preflight(client, "/api/v1/articles/", OTHER)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_preflight_of_the_contact_form_allows_posting_json(client):
    response = preflight(client, "/api/v1/enquiries/", FRONTEND, "POST", "content-type")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "POST" in methods(response)
    assert "content-type" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_of_the_contact_form_from_other_origin_is_not_allowed(client):
    response = preflight(client, "/api/v1/enquiries/", OTHER, "POST", "content-type")
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_the_contact_form_answers_the_frontend_across_origins(client):
    form = client.get("/api/v1/enquiries/form/", HTTP_ORIGIN=FRONTEND)
    assert form["Access-Control-Allow-Origin"] == FRONTEND
    response = client.post("/api/v1/enquiries/", {"name": ""}, format="json", HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "ratelimit"} <= exposed


def test_admin_is_not_shared_across_origins(client):
    response = client.get("/admin/login/", HTTP_ORIGIN=FRONTEND)
    assert "Access-Control-Allow-Origin" not in response


def test_no_origin_is_allowed_unless_configured(client, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    response = client.get("/api/v1/articles/", HTTP_ORIGIN=FRONTEND)
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "value", ["https://app.clinic.example/", "app.clinic.example", "https://a.example/path"]
)
def test_malformed_origin_setting_stops_the_process(value):
    env = {**os.environ, "CORS_ALLOWED_ORIGINS": f"{FRONTEND},{value}"}
    result = subprocess.run(
        [sys.executable, "-c", "import tests.settings"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CORS_ALLOWED_ORIGINS" in result.stderr
    assert repr(value) in result.stderr
