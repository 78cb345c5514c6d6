"""Anonymous answers are shared by browsers and CDNs; answers with credentials never are."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Origin: the CORS headers of an answer depend on the page that asks (django-cors-headers).
VARY = {"accept", "accept-encoding", "authorization", "cookie", "origin"}
# Articles and FAQs are answered in the language Accept-Language prefers (without `lang`).
TRANSLATED_VARY = VARY | {"accept-language"}


def vary(response):
    return {part.strip().lower() for part in response["Vary"].split(",")}


@pytest.fixture
def article():
    return ArticleFactory(slug="a")


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url", "varies_on"),
    [
        ("/api/v1/articles/", TRANSLATED_VARY),
        ("/api/v1/articles/a/", TRANSLATED_VARY),
        ("/api/v1/sync/", VARY),
    ],
)
def test_anonymous_answers_are_public_with_max_age_and_swr(client, article, url, varies_on):
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert vary(response) == varies_on


@override_settings(CACHE_MAX_AGE=5, CACHE_STALE_WHILE_REVALIDATE=86400)
def test_cache_lifetimes_come_from_the_settings(client, article):
    response = client.get("/api/v1/articles/")
    assert response["Cache-Control"] == "public, max-age=5, stale-while-revalidate=86400"


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/articles/a/"])
def test_logged_in_staff_answers_are_private_and_not_stored(staff_client, article, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # No validator of the public answer; an entry's detail names its version, for If-Match.
    assert response.get("ETag") == ('"v1"' if url.endswith("/a/") else None)
    assert vary(response) == TRANSLATED_VARY


def test_requests_with_an_authorization_header_are_private(client, article):
    response = client.get("/api/v1/articles/", headers={"authorization": "Bearer abc"})
    assert response["Cache-Control"] == "private, no-store"


def test_a_stale_session_cookie_is_anonymous(client, article):
    client.cookies["sessionid"] = "no-such-session"
    response = client.get("/api/v1/articles/")
    assert response["Cache-Control"].startswith("public")


def test_errors_must_be_revalidated(client):
    assert client.get("/api/v1/articles/missing/")["Cache-Control"] == "no-cache"


def test_the_health_check_is_left_alone(client):
    assert "ETag" not in client.get("/healthz")


def test_answers_are_gzipped_for_clients_that_accept_it(client, article):
    plain = client.get("/api/v1/articles/a/")
    compressed = client.get("/api/v1/articles/a/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert compressed["ETag"] == plain["ETag"]
    assert len(compressed.content) < len(plain.content)


def test_accept_is_part_of_the_answer(client, article):
    json_answer = client.get("/api/v1/articles/", headers={"accept": "application/json"})
    other = client.get("/api/v1/articles/", headers={"accept": "text/html"})
    assert json_answer.status_code == 200
    assert other.status_code == 406
    # A cached JSON answer is not handed to a client that asked for something else.
    assert client.get("/api/v1/articles/", headers={"accept": "text/html"}).status_code == 406
