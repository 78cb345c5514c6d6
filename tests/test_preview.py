"""An editor opens a draft as the frontend would show it, through a signed, expiring link."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.test import Client, override_settings

from content.models import Status
from editorial.preview import SALT, make_preview_token
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [ArticleFactory, FAQFactory, ResearchSummaryFactory])
def test_token_answers_with_the_drafts_detail_and_no_caching(client, factory):
    draft = factory(status=Status.DRAFT)
    resource = {"article": "articles", "faq": "faqs", "researchsummary": "research"}[
        draft._meta.model_name
    ]
    response = client.get(f"/api/v1/preview/{make_preview_token(draft)}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert data["slug"] == draft.slug
    assert data["status"] == "draft"
    # The same shape as the public detail once published.
    draft.status, draft.published_at = Status.PUBLISHED, draft.published_at
    draft.save()
    assert set(client.get(f"/api/v1/{resource}/{draft.slug}/").json()) == set(data)


def test_an_expired_link_is_410(client):
    draft = ArticleFactory(status=Status.DRAFT)
    token = make_preview_token(draft)
    with override_settings(EDITORIAL_PREVIEW_MAX_AGE_SECONDS=60):
        assert client.get(f"/api/v1/preview/{token}/").status_code == 200
        with mock.patch("time.time", return_value=__import__("time").time() + 61):
            body = assert_problem(client.get(f"/api/v1/preview/{token}/"), 410)
    assert "expired" in body["detail"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: signing.dumps(["articles.article", 999_999], salt=SALT),
        lambda token: signing.dumps(["articles.article", 1], salt="another-purpose"),
        lambda token: "not-a-token",
    ],
)
def test_tampered_or_foreign_tokens_are_404(client, tamper):
    draft = ArticleFactory(status=Status.DRAFT)
    token = tamper(make_preview_token(draft))
    body = assert_problem(client.get(f"/api/v1/preview/{token}/"), 404)
    assert "not valid" in body["detail"]


def test_a_token_only_reads(client, editor_api):
    draft = ArticleFactory(status=Status.DRAFT)
    token = make_preview_token(draft)
    for method in ("post", "put", "patch", "delete"):
        assert_problem(getattr(editor_api, method)(f"/api/v1/preview/{token}/"), 405)


def test_admin_change_form_offers_a_working_preview_link(superuser):
    draft = ArticleFactory(status=Status.DRAFT, title="Draft to preview")
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    (link,) = re.findall(r'href="(/api/v1/preview/[^"]+)"', page)
    response = Client().get(link)
    assert response.status_code == 200
    assert response.json()["title"] == "Draft to preview"


@override_settings(
    PREVIEW_URL_FOR_TEST=True, EDITORIAL_PREVIEW_URL="https://clinic.test/p?t={token}"
)
def test_preview_link_can_point_at_the_frontend(superuser):
    draft = ArticleFactory(status=Status.DRAFT)
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert 'href="https://clinic.test/p?t=' in page
