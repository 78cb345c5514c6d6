"""
Entries move draft -> in review -> published -> archived only by the workflow's moves, in the
API and in the admin alike; a future publish date schedules an entry to the second.
"""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from content.models import Status
from editorial.workflow import INITIAL_STATES, allowed_targets
from tests.factories import ArticleFactory, FAQFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db

ALLOWED = {
    ("draft", "in_review"),
    ("draft", "archived"),
    ("in_review", "published"),
    ("in_review", "draft"),
    ("in_review", "archived"),
    ("published", "draft"),
    ("published", "archived"),
    ("archived", "draft"),
}
PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


def test_the_workflow_allows_exactly_these_moves():
    assert {(a, b) for a in Status.values for b in allowed_targets(a)} == ALLOWED
    assert set(INITIAL_STATES) == {"draft", "in_review"}


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_move_through_the_api(editor_api, source, target):
    article = ArticleFactory(status=source)
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"status": target}, format="json"
    )
    article.refresh_from_db()
    if (source, target) in ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == target
        assert article.status == target
    else:
        # A move the entry's state does not allow: a conflict.
        body = assert_problem(response, 409)
        assert body["errors"] == [
            {
                "detail": f"An entry in '{source}' can move to "
                + ", ".join(f"'{state}'" for state in allowed_targets(source))
                + f", not to '{target}'.",
                "pointer": "/status",
            }
        ]
        assert article.status == source


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_move_through_the_admin_form(source, target, superuser):
    faq = FAQFactory(status=source)
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/articles/faq/{faq.pk}/change/").content.decode()
    offered = set(allowed_targets(source)) | {source}
    for state in Status.values:
        assert (f'<option value="{state}"' in page) == (state in offered), state
    response = client.post(
        f"/admin/articles/faq/{faq.pk}/change/",
        {
            "seen_version": faq.version,
            "question": faq.question,
            "slug": faq.slug,
            "answer": faq.answer,
            "order": faq.order,
            "status": target,
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "reviewer_name": "Dr R",
            "reviewer_credentials": "MD",
            "last_reviewed": "2026-01-01",
        },
    )
    faq.refresh_from_db()
    if (source, target) in ALLOWED:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert faq.status == target
    else:
        assert response.status_code == 200
        assert faq.status == source


@pytest.mark.parametrize("state", ["published", "archived"])
def test_new_entries_cannot_start_published_or_archived(editor_api, state):
    response = editor_api.post(
        "/api/v1/faqs/",
        {"slug": "q", "question": "Q?", "answer": "A.", "status": state},
        format="json",
    )
    body = assert_problem(response, 409)
    assert body["errors"][0]["pointer"] == "/status"


def test_publishing_without_a_date_publishes_now(editor_api, client):
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    before = timezone.now()
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json"
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert before <= article.published_at <= timezone.now()
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 200


def test_a_future_date_schedules_the_entry_to_the_microsecond(editor_api, client):
    """Public from published_at on, not a microsecond before, with nothing else to run."""
    article = ArticleFactory(status=Status.IN_REVIEW)
    moment = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/",
        {"status": "published", "published_at": moment.isoformat()},
        format="json",
    )
    assert response.status_code == 200
    detail = f"/api/v1/articles/{article.slug}/"

    def seen_at(now):
        with mock.patch("django.utils.timezone.now", return_value=now):
            return (
                client.get(detail).status_code == 200,
                article.slug
                in {a["slug"] for a in client.get("/api/v1/articles/").json()["results"]},
            )

    assert seen_at(moment - datetime.timedelta(microseconds=1)) == (False, False)
    assert seen_at(moment) == (True, True)
    assert seen_at(moment + datetime.timedelta(seconds=1)) == (True, True)


def test_status_moves_keep_a_version_naming_the_move(editor_api, editor):
    from reversion.models import Version

    article = ArticleFactory(status=Status.DRAFT)
    editor_api.patch(f"/api/v1/articles/{article.slug}/", {"status": "in_review"}, format="json")
    (version,) = Version.objects.get_for_object(article)
    assert version.field_dict["status"] == "in_review"
    assert version.revision.user == editor
