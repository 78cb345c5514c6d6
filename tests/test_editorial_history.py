"""
Every change keeps a version: editors see an entry's history, compare two versions and restore
one in the admin, and a deleted entry can be recovered. Nothing is lost silently.
"""

import pytest
from django.test import Client
from reversion.models import Version

from articles.models import Article
from content.models import Status
from tests.factories import ArticleFactory, ConditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def article_form(article, **changes):
    """The change form as the admin shows it now, with these changes typed in."""
    stored = Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
    data = {
        "seen_version": stored or article.version,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "author": article.author,
        "status": article.status,
        "reviewer_name": article.reviewer_name,
        "reviewer_credentials": article.reviewer_credentials,
        "last_reviewed": article.last_reviewed or "",
        "published_at_0": "",
        "published_at_1": "",
    }
    if article.published_at:
        data["published_at_0"] = article.published_at.strftime("%Y-%m-%d")
        data["published_at_1"] = article.published_at.strftime("%H:%M:%S")
    data.update(changes)
    return data


def test_admin_edits_keep_versions_with_who_and_a_comparison(admin_client, superuser):
    article = ArticleFactory(title="First title", status=Status.DRAFT)
    url = f"/admin/articles/article/{article.pk}/change/"
    for title in ("Second title", "Third title"):
        response = admin_client.post(url, article_form(article, title=title))
        assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(Version.objects.get_for_object(article))
    assert [v.field_dict["title"] for v in versions] == ["Third title", "Second title"]
    assert {v.revision.user for v in versions} == {superuser}

    history = admin_client.get(f"{url[: -len('change/')]}history/").content.decode()
    assert "Second title" in history or "Changed" in history
    compare = admin_client.get(
        f"/admin/articles/article/{article.pk}/history/compare/",
        {"version_id1": versions[1].pk, "version_id2": versions[0].pk},
    )
    assert compare.status_code == 200
    page = compare.content.decode()
    assert "Second" in page
    assert "Third" in page


def test_restoring_an_old_version_brings_back_its_fields_and_tags(admin_client):
    old_condition, new_condition = ConditionFactory(), ConditionFactory()
    article = ArticleFactory(title="Original", status=Status.DRAFT)
    url = f"/admin/articles/article/{article.pk}/change/"
    admin_client.post(url, article_form(article, conditions=[old_condition.pk]))
    admin_client.post(url, article_form(article, title="Rewritten", conditions=[new_condition.pk]))
    original = Version.objects.get_for_object(article).last()

    revision_url = f"/admin/articles/article/{article.pk}/history/{original.pk}/"
    form = admin_client.get(revision_url)
    assert form.status_code == 200
    assert 'value="Original"' in form.content.decode()
    response = admin_client.post(
        revision_url,
        article_form(
            article,
            title="Original",
            conditions=[old_condition.pk],
            seen_version=form.context["adminform"].form["seen_version"].value(),
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original"
    assert list(article.conditions.all()) == [old_condition]
    assert Version.objects.get_for_object(article).count() == 3  # the restore is a version too


def test_bulk_actions_keep_versions(admin_client, superuser):
    articles = ArticleFactory.create_batch(2, status=Status.IN_REVIEW)
    admin_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [a.pk for a in articles]},
    )
    for article in articles:
        (version,) = Version.objects.get_for_object(article)
        assert version.field_dict["status"] == "published"
        assert version.revision.user == superuser


def test_delete_asks_first_and_can_be_undone_from_the_history(admin_client):
    article = ArticleFactory(title="Precious words", conditions=[ConditionFactory()])
    delete_url = f"/admin/articles/article/{article.pk}/delete/"
    confirm = admin_client.get(delete_url)
    assert "Are you sure" in confirm.content.decode()
    assert Article.objects.exists()

    admin_client.post(delete_url, {"post": "yes"})
    assert not Article.objects.exists()

    recover_list = admin_client.get("/admin/articles/article/recover/").content.decode()
    assert "Precious words" in recover_list
    (version,) = Version.objects.get_deleted(Article)
    recover_url = f"/admin/articles/article/recover/{version.pk}/"
    assert admin_client.get(recover_url).status_code == 200
    response = admin_client.post(recover_url, article_form(article))
    assert response.status_code == 302, response.content.decode()[:2000]
    restored = Article.objects.get()
    assert restored.title == "Precious words"
    assert restored.body_html == article.body_html


def test_bulk_delete_keeps_every_entry_recoverable(admin_client):
    articles = ArticleFactory.create_batch(3)
    admin_client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes"},
    )
    assert not Article.objects.exists()
    assert Version.objects.get_deleted(Article).count() == 3
