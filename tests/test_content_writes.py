"""
Editors create, change and delete every resource through the API; nobody else can.

Anonymous writes are 401, writes without the model permission 403, bad input a 400 problem
naming every bad field, and a refused write changes nothing.
"""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from reversion.models import Version

from articles.models import Article
from content.models import Status
from research.models import ResearchSummary
from tests.conftest import make_user
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db

FACTORIES = {
    "articles": ArticleFactory,
    "faqs": FAQFactory,
    "research": ResearchSummaryFactory,
    "conditions": ConditionFactory,
    "topics": TopicFactory,
}


def new_payload(resource, n=0):
    """A valid body creating a new entry of `resource`."""
    return {
        "articles": {
            "slug": f"new-article-{n}",
            "title": "Ketamine and BDNF",
            "summary": "Growth signals.",
            "body": "## Growth\n\nNew connections.",
        },
        "faqs": {"slug": f"new-faq-{n}", "question": "Does it hurt?", "answer": "Rarely."},
        "research": {
            "slug": f"new-study-{n}",
            "title": "A trial",
            "summary": "It helped.",
            "body": "Plain words.",
            "study_design": "rct",
            "evidence_level": "2",
        },
        "conditions": {"slug": f"new-condition-{n}", "name": f"New condition {n}"},
        "topics": {"slug": f"new-topic-{n}", "name": f"New topic {n}"},
    }[resource]


def change_payload(resource, item):
    return (
        {"summary": "Shorter."}
        if resource in {"articles", "research"}
        else {"slug": item.slug + "-renamed"}
    )


def api_for(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


_numbers = itertools.count(100)


def attempt(api, resource, operation):
    """Try one write on a fresh entry (or with a fresh slug and name) and return the response."""
    item = FACTORIES[resource]()
    n = next(_numbers)
    detail = f"/api/v1/{resource}/{item.slug}/"
    if operation == "create":
        return api.post(f"/api/v1/{resource}/", new_payload(resource, n), format="json")
    if operation == "replace":
        body = {**new_payload(resource, n), "slug": item.slug}
        if resource in CONTENT:
            body.update(status=Status.PUBLISHED)
        return api.put(detail, body, format="json")
    if operation == "change":
        return api.patch(detail, change_payload(resource, item), format="json")
    return api.delete(detail)


CONTENT = {"articles", "faqs", "research"}
OPERATIONS = {"create": 201, "replace": 200, "change": 200, "delete": 204}


@pytest.mark.parametrize("resource", sorted(FACTORIES))
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_permission_matrix(resource, operation, editor, staff_without_permission, superuser):
    """Anonymous 401, staff without permission 403, editors and superusers succeed."""
    body = assert_problem(attempt(api_for(None), resource, operation), 401)
    assert body["title"] == "Unauthorized"
    assert_problem(attempt(api_for(staff_without_permission), resource, operation), 403)
    # Holding the permission is not enough without being staff.
    patient = make_user("patient", staff=False, permissions=[("articles", "add_article")])
    assert_problem(attempt(api_for(patient), resource, operation), 403)
    for user in (editor, superuser):
        response = attempt(api_for(user), resource, operation)
        assert response.status_code == OPERATIONS[operation], response.content[:400]


def test_anonymous_write_is_asked_for_a_token(client):
    response = client.post("/api/v1/articles/", new_payload("articles"), format="json")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_editor_creates_an_article_with_tags_by_slug(editor_api, editor):
    ConditionFactory(slug="ptsd")
    TopicFactory(slug="bdnf")
    response = editor_api.post(
        "/api/v1/articles/",
        {**new_payload("articles"), "conditions": ["ptsd"], "topics": ["bdnf"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert [tag["slug"] for tag in data["conditions"]] == ["ptsd"]
    assert [tag["slug"] for tag in data["topics"]] == ["bdnf"]
    assert data["body_html"] == '<h2 id="growth">Growth</h2>\n<p>New connections.</p>\n'
    article = Article.objects.get(slug="new-article-0")
    (version,) = Version.objects.get_for_object(article)
    assert version.revision.user == editor
    assert set(version.field_dict["conditions"]) == {article.conditions.get().pk}


def test_each_bad_field_is_named_and_nothing_is_created(editor_api):
    response = editor_api.post(
        "/api/v1/research/",
        {
            **new_payload("research"),
            "title": "",
            "doi": "not-a-doi",
            "study_design": "hunch",
            "conditions": ["no-such-condition"],
        },
        format="json",
    )
    body = assert_problem(response, 400)
    pointers = {error["pointer"] for error in body["errors"]}
    assert {"/title", "/study_design", "/conditions/0"} <= pointers
    assert ResearchSummary.objects.count() == 0


def test_model_validation_names_the_field(editor_api):
    """Validators on the model (here the DOI pattern) apply to the API as in the admin."""
    response = editor_api.post(
        "/api/v1/research/", {**new_payload("research"), "doi": "not-a-doi"}, format="json"
    )
    body = assert_problem(response, 400)
    assert body["errors"] == [{"detail": "A DOI looks like 10.1234/abc.", "pointer": "/doi"}]
    assert body["detail"] == "Invalid field: doi."


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("id", "This field cannot be set by clients."),
        ("created_at", "This field cannot be set by clients."),
        ("body_html", "This field cannot be set by clients."),
        ("review", "This field cannot be set by clients."),
        ("colour", "Unknown field."),
    ],
)
def test_fields_clients_may_not_set_are_refused_by_name(editor_api, field, message):
    response = editor_api.post(
        "/api/v1/articles/", {**new_payload("articles"), field: "x"}, format="json"
    )
    body = assert_problem(response, 400)
    assert body["errors"] == [{"detail": message, "pointer": f"/{field}"}]
    assert not Article.objects.exists()


def test_a_refused_change_changes_nothing(editor_api):
    study = ResearchSummaryFactory(title="Before")
    response = editor_api.patch(
        f"/api/v1/research/{study.slug}/", {"title": "After", "doi": "bad"}, format="json"
    )
    assert_problem(response, 400)
    study.refresh_from_db()
    assert study.title == "Before"


def test_slug_must_stay_unique(editor_api):
    ArticleFactory(slug="taken")
    response = editor_api.post(
        "/api/v1/articles/", {**new_payload("articles"), "slug": "taken"}, format="json"
    )
    # Valid in itself, but not with what is stored: a conflict.
    body = assert_problem(response, 409)
    assert [error["pointer"] for error in body["errors"]] == ["/slug"]


def test_full_update_needs_every_required_field(editor_api):
    article = ArticleFactory()
    response = editor_api.put(f"/api/v1/articles/{article.slug}/", {"title": "x"}, format="json")
    body = assert_problem(response, 400)
    assert {"/slug", "/summary", "/body"} <= {error["pointer"] for error in body["errors"]}


def test_tags_given_replace_the_current_ones(editor_api):
    old, new = ConditionFactory(), ConditionFactory()
    faq = FAQFactory(conditions=[old])
    response = editor_api.patch(
        f"/api/v1/faqs/{faq.slug}/", {"conditions": [new.slug]}, format="json"
    )
    assert response.status_code == 200
    assert [tag["slug"] for tag in response.json()["conditions"]] == [new.slug]


def test_delete_keeps_a_version_to_recover(editor_api, editor):
    article = ArticleFactory(title="Gone but kept")
    response = editor_api.delete(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 204
    assert not Article.objects.exists()
    (version,) = Version.objects.get_deleted(Article)
    assert version.field_dict["title"] == "Gone but kept"
    assert version.revision.user == editor
    version.revert()
    assert Article.objects.get().title == "Gone but kept"


@pytest.mark.parametrize("resource", ["articles", "faqs", "research"])
def test_staff_who_may_change_see_every_state_others_only_public(
    resource, editor_api, staff_without_permission, client
):
    factory = FACTORIES[resource]
    public = factory()
    hidden = [
        factory(draft=True),
        factory(in_review=True),
        factory(archived=True),
        factory(scheduled=True),
    ]

    def slugs(api):
        return {item["slug"] for item in api.get(f"/api/v1/{resource}/").json()["results"]}

    assert slugs(editor_api) == {public.slug, *(item.slug for item in hidden)}
    assert slugs(client) == {public.slug}
    assert slugs(api_for(staff_without_permission)) == {public.slug}
    draft = hidden[0]
    detail = editor_api.get(f"/api/v1/{resource}/{draft.slug}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "draft"
    assert_problem(client.get(f"/api/v1/{resource}/{draft.slug}/"), 404)


def test_tokens_are_issued_used_and_revoked(editor):
    out = StringIO()
    call_command("drf_create_token", "editor", stdout=out)
    key = Token.objects.get(user=editor).key
    assert key in out.getvalue()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/topics/", new_payload("topics"), format="json")
    assert response.status_code == 201

    call_command("revoke_api_token", "editor", stdout=StringIO())
    response = api.post("/api/v1/topics/", new_payload("topics", 1), format="json")
    assert_problem(response, 401)


def test_session_writes_need_the_csrf_token(editor):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(editor)
    response = api.post("/api/v1/topics/", new_payload("topics"), format="json")
    assert_problem(response, 403)


def test_review_date_cannot_be_in_the_future(editor_api):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = editor_api.post(
        "/api/v1/articles/",
        {**new_payload("articles"), "last_reviewed": tomorrow.isoformat()},
        format="json",
    )
    body = assert_problem(response, 400)
    assert [error["pointer"] for error in body["errors"]] == ["/last_reviewed"]
