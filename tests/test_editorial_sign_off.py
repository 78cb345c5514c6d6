"""
Medical sign-off is an act of a reviewer, kept as data: publishing needs a sign-off of the
current text by someone other than its last author, and changing that text sends a published
entry back to review. Every sign-off is kept and named in the history.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from reversion.models import Version

from articles.models import Article
from content.models import Status
from editorial.services import entry_update
from publishing.models import Reviewer, SignOff
from tests.conftest import editor_permissions, make_user
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    ResearchSummaryFactory,
    ReviewerFactory,
    sign_off_text,
)
from tests.problems import assert_problem
from tests.test_write_concurrency import run_together

pytestmark = pytest.mark.django_db


def reviewer_user(name="reviewer", **reviewer_fields):
    """A staff member who may sign off and see articles, linked to a Reviewer record. (Not
    through the group: transactional tests flush the groups the migration made.)"""
    user = make_user(
        name,
        permissions=[
            ("publishing", "sign_off_medical_review"),
            ("articles", "view_article"),
            ("articles", "view_faq"),
            ("research", "view_researchsummary"),
        ],
    )
    ReviewerFactory(user=user, **reviewer_fields)
    return user


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def sign_off_in_admin(user, entry, action="sign_off"):
    opts = type(entry)._meta
    return admin_client(user).post(
        f"/admin/{opts.app_label}/{opts.model_name}/",
        {"action": action, "_selected_action": [entry.pk]},
        follow=True,
    )


def sign_offs_of(entry):
    return SignOff.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    )


def test_the_migration_creates_the_three_groups_with_their_permissions():
    permissions = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert {"Editor", "Medical reviewer", "Publisher"} <= set(permissions)
    assert "sign_off_medical_review" in permissions["Medical reviewer"]
    assert "publish_content" not in permissions["Medical reviewer"]
    assert "change_article" not in permissions["Medical reviewer"]
    assert "publish_content" in permissions["Publisher"]
    assert "sign_off_medical_review" not in permissions["Publisher"]
    assert {"change_article", "change_faq", "change_researchsummary"} <= permissions["Editor"]
    assert not {"publish_content", "sign_off_medical_review"} & permissions["Editor"]


@pytest.mark.parametrize(
    ("factory", "resource"),
    [(ArticleFactory, "articles"), (FAQFactory, "faqs"), (ResearchSummaryFactory, "research")],
)
def test_publishing_needs_a_sign_off_of_the_current_text(editor_api, factory, resource):
    entry = factory(status=Status.IN_REVIEW, published_at=None, signed_off=False)
    response = editor_api.patch(
        f"/api/v1/{resource}/{entry.slug}/", {"status": "published"}, format="json"
    )
    body = assert_problem(response, 400)
    assert body["errors"][0]["pointer"] == "/status"
    assert "sign-off" in body["errors"][0]["detail"]
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW

    sign_off_text(entry)
    response = editor_api.patch(
        f"/api/v1/{resource}/{entry.slug}/", {"status": "published"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"


def test_publishing_needs_the_publish_permission():
    editor = make_user("no-publisher", permissions=editor_permissions()[:-1])
    api = APIClient()
    api.force_authenticate(editor)
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    response = api.patch(
        f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json"
    )
    assert_problem(response, 403)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    # Everything else an editor does stays allowed.
    response = api.patch(f"/api/v1/articles/{article.slug}/", {"status": "draft"}, format="json")
    assert response.status_code == 200


def test_an_edit_of_the_text_after_sign_off_sends_a_published_entry_back_to_review(
    editor_api, client
):
    article = ArticleFactory(slug="signed")
    assert client.get("/api/v1/articles/signed/").status_code == 200
    response = editor_api.patch(
        "/api/v1/articles/signed/", {"body": "A changed claim."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    assert response.json()["review"]["reviewer"] is None
    article.refresh_from_db()
    assert article.sign_off is None
    assert client.get("/api/v1/articles/signed/").status_code == 404
    # Publishing it again needs a new sign-off.
    response = editor_api.patch("/api/v1/articles/signed/", {"status": "published"}, format="json")
    assert_problem(response, 400)


def test_a_change_outside_the_reviewed_text_keeps_the_entry_published(editor_api):
    article = ArticleFactory(author="Someone")
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"author": "Someone else"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    article.refresh_from_db()
    assert article.sign_off is not None


def test_a_key_fact_of_a_study_is_reviewed_text(editor_api):
    study = ResearchSummaryFactory()
    response = editor_api.patch(
        f"/api/v1/research/{study.slug}/", {"sample_size": "12 adults"}, format="json"
    )
    assert response.json()["status"] == "in_review"


def test_the_free_text_review_fields_cannot_be_written(editor_api):
    article = ArticleFactory()
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/",
        {"reviewer_name": "Dr Typed In", "last_reviewed": "2026-01-01"},
        format="json",
    )
    body = assert_problem(response, 400)
    assert {error["pointer"] for error in body["errors"]} == {"/reviewer_name", "/last_reviewed"}


def test_a_reviewer_signs_off_in_the_admin_and_a_publisher_publishes(editor_api):
    reviewer = reviewer_user()
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None, signed_off=False)
    page = sign_off_in_admin(reviewer, article).content.decode()
    assert "1 entry signed off" in page
    article.refresh_from_db()
    assert article.sign_off.reviewer.user == reviewer
    assert article.sign_off.signed_by == reviewer
    assert article.sign_off.entry_version == article.version - 1
    assert article.last_reviewed == timezone.localdate()
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json"
    )
    assert response.status_code == 200
    review = response.json()["review"]
    assert review["reviewer"]["name"] == article.sign_off.reviewer.name
    assert review["reviewer"]["is_placeholder"] is False
    assert review["last_reviewed"] == timezone.localdate().isoformat()
    assert review["next_review_due"] == article.review_due.isoformat()


def test_signing_off_needs_the_permission_and_a_reviewer_record(editor):
    article = ArticleFactory(status=Status.IN_REVIEW, signed_off=False)
    page = sign_off_in_admin(make_user("superuser", superuser=True), article).content.decode()
    assert "not linked to a reviewer record" in page
    # An editor without the permission is not even offered the action.
    response = sign_off_in_admin(editor, article)
    assert "No action selected" in response.content.decode()
    assert not sign_offs_of(article).exists()


def test_the_last_author_cannot_sign_off_their_own_text():
    reviewer = reviewer_user()
    article = ArticleFactory(status=Status.IN_REVIEW, signed_off=False)
    entry_update(entry=article, fields={"body": "My own words."}, actor=reviewer)
    page = sign_off_in_admin(reviewer, article).content.decode()
    assert "someone else must sign it off" in page
    assert not sign_offs_of(article).exists()
    sign_off_in_admin(reviewer_user("colleague"), article)
    assert sign_offs_of(article).count() == 1


def test_a_typo_fix_keeps_the_review_date_and_every_sign_off_is_kept(editor_api):
    reviewer = reviewer_user()
    article = ArticleFactory(signed_off=False, status=Status.IN_REVIEW, published_at=None)
    sign_off_in_admin(reviewer, article)
    editor_api.patch(f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json")
    # As if the review had been on 2 January.
    sign_offs_of(article).update(reviewed_on=datetime.date(2026, 1, 2))
    Article.objects.filter(pk=article.pk).update(last_reviewed=datetime.date(2026, 1, 2))
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"body": "Fixed a tpyo."}, format="json"
    )
    assert response.json()["status"] == "in_review"

    page = sign_off_in_admin(reviewer, article, "sign_off_minor_edit").content.decode()
    assert "1 entry signed off" in page
    article.refresh_from_db()
    assert article.sign_off.kind == SignOff.Kind.MINOR_EDIT
    assert article.last_reviewed == datetime.date(2026, 1, 2)
    response = editor_api.patch(
        f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json"
    )
    assert response.json()["review"]["next_review_due"] == "2027-01-02"
    kinds = [item.kind for item in sign_offs_of(article).order_by("signed_at", "pk")]
    assert kinds == [SignOff.Kind.REVIEW, SignOff.Kind.MINOR_EDIT]

    # The history names each sign-off; the change form lists them.
    comments = [
        version.revision.comment
        for version in Version.objects.get_for_object(article).select_related("revision")
    ]
    assert sum("Signed off by" in comment for comment in comments) == 2
    form = admin_client(reviewer_user("other")).get(f"/admin/articles/article/{article.pk}/change/")
    assert form.content.decode().count("of version") == 2


def test_a_typo_fix_needs_an_earlier_review():
    article = ArticleFactory(signed_off=False, status=Status.IN_REVIEW)
    page = sign_off_in_admin(reviewer_user(), article, "sign_off_minor_edit").content.decode()
    assert "Only a change to reviewed text can be a typo fix" in page
    assert not sign_offs_of(article).exists()


def test_signing_off_twice_the_same_text_is_refused():
    reviewer = reviewer_user()
    article = ArticleFactory(signed_off=False, status=Status.IN_REVIEW)
    sign_off_in_admin(reviewer, article)
    page = sign_off_in_admin(reviewer, article).content.decode()
    assert "already signed off" in page
    assert sign_offs_of(article).count() == 1


def test_the_admin_form_refuses_to_publish_text_nobody_signed_off():
    faq = FAQFactory(status=Status.IN_REVIEW, signed_off=False)
    publisher = make_user("publisher")
    publisher.groups.add(Group.objects.get(name="Publisher"))
    client = admin_client(publisher)
    form = {
        "seen_version": faq.version,
        "question": faq.question,
        "slug": faq.slug,
        "answer": faq.answer,
        "order": faq.order,
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
    }
    response = client.post(f"/admin/articles/faq/{faq.pk}/change/", form)
    assert response.status_code == 200
    assert "Publishing needs a medical reviewer" in response.content.decode()
    faq.refresh_from_db()
    assert faq.status == Status.IN_REVIEW

    sign_off_text(faq)
    faq.refresh_from_db()
    response = client.post(
        f"/admin/articles/faq/{faq.pk}/change/", {**form, "seen_version": faq.version}
    )
    assert response.status_code == 302
    faq.refresh_from_db()
    assert faq.status == Status.PUBLISHED


def test_the_admin_form_judges_the_text_it_is_saving_not_the_stored_one():
    faq = FAQFactory(status=Status.IN_REVIEW, signed_off=False)
    sign_off_text(faq)
    faq.refresh_from_db()
    publisher = make_user("publisher")
    publisher.groups.add(Group.objects.get(name="Publisher"))
    form = {
        "seen_version": faq.version,
        "question": faq.question,
        "slug": faq.slug,
        "answer": faq.answer + " A sentence added after the sign-off.",
        "order": faq.order,
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
    }
    response = admin_client(publisher).post(f"/admin/articles/faq/{faq.pk}/change/", form)
    assert response.status_code == 200
    assert "Publishing needs a medical reviewer" in response.content.decode()
    faq.refresh_from_db()
    assert faq.status == Status.IN_REVIEW
    assert "added after the sign-off" not in faq.answer


def test_the_admin_form_refuses_publishing_without_the_permission():
    faq = FAQFactory(status=Status.IN_REVIEW)
    editor = make_user("group-editor")
    editor.groups.add(Group.objects.get(name="Editor"))
    response = admin_client(editor).post(
        f"/admin/articles/faq/{faq.pk}/change/",
        {
            "seen_version": faq.version,
            "question": faq.question,
            "slug": faq.slug,
            "answer": faq.answer,
            "order": faq.order,
            "status": "published",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Can publish content" in response.content.decode()
    faq.refresh_from_db()
    assert faq.status == Status.IN_REVIEW


def test_a_placeholder_reviewer_is_flagged_and_never_claimed_in_json_ld(client):
    placeholder = Reviewer.objects.create(
        name="Demo Medical Reviewer", credentials="MD", is_placeholder=True
    )
    article = ArticleFactory(signed_off=False)
    sign_off_text(article, reviewer=placeholder)
    data = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert data["review"]["reviewer"]["is_placeholder"] is True
    assert "reviewedBy" not in data["structured_data"]
    assert "lastReviewed" not in data["structured_data"]
    assert "Demo Medical Reviewer" not in data["structured_data_script"]


def test_a_real_reviewer_is_a_person_with_a_profile_in_json_ld(client):
    reviewer = ReviewerFactory(
        name="Dr Zoë Ñúñez", credentials="MD", profile_url="https://clinic.example/team/zoe"
    )
    faq = FAQFactory(signed_off=False)
    sign_off_text(faq, reviewer=reviewer)
    data = client.get(f"/api/v1/faqs/{faq.slug}/").json()
    assert data["structured_data"]["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Zoë Ñúñez",
        "honorificSuffix": "MD",
        "url": "https://clinic.example/team/zoe",
    }


CONCURRENT_ROUNDS = 10


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_sign_off_racing_an_edit_never_covers_text_it_did_not_see(editor_api):
    reviewer = reviewer_user()
    article = ArticleFactory(status=Status.IN_REVIEW, signed_off=False)
    uncovered = []
    for round_ in range(CONCURRENT_ROUNDS):
        Article.objects.filter(pk=article.pk).update(sign_off=None)
        run_together(
            lambda: sign_off_in_admin(reviewer, article),
            lambda round_=round_: editor_api.patch(
                f"/api/v1/articles/{article.slug}/", {"body": f"Text {round_}"}, format="json"
            ),
        )
        stored = Article.objects.get(pk=article.pk)
        assert stored.body == f"Text {round_}"
        if stored.sign_off is not None and stored.publishing_problem() is not None:
            uncovered.append(round_)
    assert uncovered == []


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_publish_racing_an_edit_never_publishes_text_nobody_signed_off():
    publisher, editor = APIClient(), APIClient()
    publisher.force_authenticate(make_user("pub", permissions=editor_permissions()))
    editor.force_authenticate(make_user("ed", permissions=editor_permissions()[:-1]))
    article = ArticleFactory(status=Status.IN_REVIEW, signed_off=False)
    published_unsigned = []
    for round_ in range(CONCURRENT_ROUNDS):
        Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
        sign_off_text(Article.objects.get(pk=article.pk))
        answers = run_together(
            lambda: publisher.patch(
                f"/api/v1/articles/{article.slug}/", {"status": "published"}, format="json"
            ),
            lambda round_=round_: editor.patch(
                f"/api/v1/articles/{article.slug}/", {"body": f"Edit {round_}"}, format="json"
            ),
        )
        assert answers[0].status_code in {200, 400}
        assert answers[1].status_code == 200
        stored = Article.objects.get(pk=article.pk)
        if stored.status == Status.PUBLISHED and stored.publishing_problem() is not None:
            published_unsigned.append(round_)
    assert published_unsigned == []
    assert APIClient().get(f"/api/v1/articles/{article.slug}/").status_code == 404
