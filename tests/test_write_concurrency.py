"""
Two editors writing at the same moment never silently undo each other (PostgreSQL, threads).

Each thread is an editor with its own database connection, as two app processes would be.
A write reads, changes and saves one entry inside one transaction holding the entry's row
lock, so edits of different fields both survive and a workflow move is checked against the
entry as it is when the write commits. Writes to different entries never deadlock.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from articles.models import Article
from editorial.models import Status
from tests.conftest import editor_permissions, make_user
from tests.factories import ArticleFactory, ConditionFactory, FAQFactory

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

WAIT = 20  # seconds for one round of writes; generous on a busy machine
PATCH_ROUNDS = 20
ARCHIVE_ROUNDS = 15
DELETE_ROUNDS = 5


def run_together(*requests):
    """Send the requests at the same moment, each from its own thread; return the responses."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)
    errors = []

    def run(index, request):
        try:
            start.wait(WAIT)
            responses[index] = request()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, request), daemon=True)
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a write hung"
    assert errors == []
    return responses


@pytest.fixture
def editors(transactional_db):
    """Two editors, each with a client of their own."""
    clients = []
    for name in ("alice", "bob"):
        api = APIClient()
        api.force_authenticate(make_user(name, permissions=editor_permissions()))
        clients.append(api)
    return clients


def patch(api, slug, body, resource="articles"):
    return lambda: api.patch(f"/api/v1/{resource}/{slug}/", body, format="json")


def test_concurrent_edits_of_different_fields_keep_both(editors):
    alice, bob = editors
    article = ArticleFactory(slug="shared")
    lost = []
    for round_ in range(PATCH_ROUNDS):
        title, summary = f"Title {round_}", f"Summary {round_}"
        answers = run_together(
            patch(alice, article.slug, {"title": title}),
            patch(bob, article.slug, {"summary": summary}),
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        stored = Article.objects.get(pk=article.pk)
        if (stored.title, stored.summary) != (title, summary):
            lost.append(round_)
    assert lost == [], f"an edit was lost in {len(lost)} of {PATCH_ROUNDS} rounds"


def test_an_edit_racing_an_archive_never_publishes_again(editors):
    alice, bob = editors
    article = ArticleFactory(slug="withdrawn")
    republished, lost = [], []
    for round_ in range(ARCHIVE_ROUNDS):
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)
        answers = run_together(
            patch(alice, article.slug, {"status": Status.ARCHIVED}),
            patch(bob, article.slug, {"summary": f"Summary {round_}"}),
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        stored = Article.objects.get(pk=article.pk)
        if stored.status != Status.ARCHIVED:
            republished.append(round_)
        if stored.summary != f"Summary {round_}":
            lost.append(round_)
    assert republished == [], (
        f"an archived article was published again in {len(republished)} of {ARCHIVE_ROUNDS} rounds"
    )
    assert lost == [], f"the edit was lost in {len(lost)} of {ARCHIVE_ROUNDS} rounds"
    assert client_sees(article.slug) == 404


def client_sees(slug):
    return APIClient().get(f"/api/v1/articles/{slug}/").status_code


def test_concurrent_deletes_and_edits_of_different_entries_all_succeed(editors):
    alice, bob = editors
    failures = []
    for round_ in range(DELETE_ROUNDS):
        kept, dropped = ConditionFactory.create_batch(2)
        articles = ArticleFactory.create_batch(3, conditions=[kept, dropped])
        faqs = FAQFactory.create_batch(3, conditions=[kept])
        answers = run_together(
            lambda a=articles[0]: alice.delete(f"/api/v1/articles/{a.slug}/"),
            lambda f=faqs[0]: bob.delete(f"/api/v1/faqs/{f.slug}/"),
            patch(
                alice, articles[1].slug, {"summary": f"Edited {round_}", "conditions": [kept.slug]}
            ),
            patch(bob, faqs[1].slug, {"answer": f"Edited {round_}"}, resource="faqs"),
            patch(alice, articles[2].slug, {"status": Status.ARCHIVED}),
            patch(bob, kept.slug, {"description": f"Edited {round_}"}, resource="conditions"),
            lambda d=dropped: alice.delete(f"/api/v1/conditions/{d.slug}/"),
            lambda f=faqs[2]: bob.delete(f"/api/v1/faqs/{f.slug}/"),
        )
        failures += [answer.status_code for answer in answers if answer.status_code >= 300]
    assert failures == [], f"{len(failures)} of {8 * DELETE_ROUNDS} writes failed"
