"""Each content type is due for a new medical review a set number of months after the last."""

import datetime

import pytest
from django.test import Client, override_settings

from articles.models import Article
from content.models import Status, months_before
from tests.factories import ArticleFactory, FAQFactory, ResearchSummaryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 31)


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_before(TODAY, 12) == datetime.date(2025, 3, 31)
    assert months_before(TODAY, 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), -13) == datetime.date(2027, 2, 15)


def test_overdue_at_the_boundary_of_the_interval():
    due_today = ArticleFactory(last_reviewed=datetime.date(2025, 3, 31))
    ArticleFactory(last_reviewed=datetime.date(2025, 4, 1))
    never = ArticleFactory(last_reviewed=None, reviewer_name="")
    ArticleFactory(last_reviewed=datetime.date(2020, 1, 1), status=Status.DRAFT)
    overdue = set(Article.objects.review_overdue(today=TODAY))
    assert overdue == {due_today, never}


@override_settings(
    EDITORIAL_REVIEW_INTERVAL_MONTHS={
        "articles.article": 12,
        "articles.faq": 6,
        "research.researchsummary": 24,
    }
)
def test_each_content_type_has_its_own_interval():
    eight_months = months_before(datetime.date.today(), 8)
    article = ArticleFactory(last_reviewed=eight_months)
    faq = FAQFactory(last_reviewed=eight_months)
    assert not Article.objects.review_overdue().exists()
    assert list(type(faq).objects.review_overdue()) == [faq]
    assert article.review_due == months_before(eight_months, -12)


def test_admin_lists_overdue_entries_of_every_type(superuser):
    old = datetime.date.today() - datetime.timedelta(days=800)
    ArticleFactory(title="Stale article", last_reviewed=old)
    ArticleFactory(title="Fresh article", last_reviewed=datetime.date.today())
    FAQFactory(question="Stale question?", last_reviewed=old)
    ResearchSummaryFactory(title="Stale draft study", last_reviewed=old, status=Status.DRAFT)
    client = Client()
    client.force_login(superuser)
    page = client.get("/admin/editorial/overdue-review/").content.decode()
    assert "Stale article" in page
    assert "Stale question?" in page
    assert "Fresh article" not in page
    assert "Stale draft study" not in page  # drafts are reviewed before they publish

    changelist = client.get("/admin/articles/article/", {"review": "overdue"}).content.decode()
    assert "Stale article" in changelist
    assert "Fresh article" not in changelist


def test_overdue_page_is_for_staff_only(editor):
    response = Client().get("/admin/editorial/overdue-review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_change_form_shows_when_the_next_review_is_due(superuser):
    article = ArticleFactory(last_reviewed=datetime.date(2025, 1, 10))
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "2026-01-10 (overdue)" in page
