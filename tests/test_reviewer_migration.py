"""The migration turns free-text reviewers into Reviewer records and sign-offs of the text."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0004_sign_off_fields"), ("research", "0004_sign_off_fields")]


@pytest.mark.django_db(transaction=True)
def test_free_text_reviewers_become_records_and_sign_offs():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    article = old.get_model("articles", "Article")
    common = {"status": "published", "summary": "S.", "body": "B."}
    demo = article.objects.create(
        slug="demo",
        title="Demo",
        reviewer_name="Demo Medical Reviewer",
        reviewer_credentials="MD (placeholder for demo content)",
        last_reviewed=datetime.date(2025, 6, 5),
        **common,
    )
    real = article.objects.create(
        slug="real",
        title="Real",
        reviewer_name="Dr Ana Ruiz",
        reviewer_credentials="MD",
        last_reviewed=datetime.date(2026, 1, 2),
        **common,
    )
    article.objects.create(slug="unreviewed", title="None", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from articles.models import Article
    from publishing.models import Reviewer

    reviewers = {r.name: r.is_placeholder for r in Reviewer.objects.all()}
    assert reviewers == {"Demo Medical Reviewer": True, "Dr Ana Ruiz": False}
    for pk, name, day in (
        (demo.pk, "Demo Medical Reviewer", datetime.date(2025, 6, 5)),
        (real.pk, "Dr Ana Ruiz", datetime.date(2026, 1, 2)),
    ):
        entry = Article.objects.get(pk=pk)
        assert entry.sign_off.reviewer.name == name
        assert entry.sign_off.reviewed_on == day
        assert entry.sign_off.signed_by is None
        assert entry.publishing_problem() is None
    assert Article.objects.get(slug="unreviewed").sign_off is None
