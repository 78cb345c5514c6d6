"""
On PostgreSQL, a sync never skips a change committed late by a slow transaction.

Change log sequence numbers are taken in one order and could be committed in another; a
cursor that moved past a number not yet committed would miss that change for good. Every
content-changing transaction takes the content version's row lock before it logs, so a
later one waits for the slow one, and entries become visible in sequence order.
"""

import threading

import pytest
from django.db import connection, transaction

from publishing.models import ChangeLogEntry
from tests.factories import ArticleFactory
from tests.test_sync_api import App

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

WAIT = 10  # seconds; generous on a busy machine


class InThread(threading.Thread):
    """Run a function on its own database connection, as another app process would."""

    def __init__(self, function):
        super().__init__(daemon=True)
        self.function = function
        self.done = threading.Event()
        self.error = None

    def run(self):
        try:
            self.function()
        except Exception as error:  # reported by the test, in its thread
            self.error = error
        finally:
            connection.close()
            self.done.set()


def test_a_slow_transaction_committing_after_a_later_one_is_not_missed(client):
    first = ArticleFactory(slug="first", title="Before")
    app = App(client)
    app.sync()
    logged, release = threading.Event(), threading.Event()

    def slow_editor():
        with transaction.atomic():
            first.title = "Slow edit"
            first.save()  # logged, sequence number taken, not committed
            logged.set()
            assert release.wait(WAIT)

    def quick_editor():
        ArticleFactory(slug="second")

    slow = InThread(slow_editor)
    slow.start()
    assert logged.wait(WAIT)
    quick = InThread(quick_editor)
    quick.start()
    # The quick save waits for the slow transaction rather than committing before it.
    assert not quick.done.wait(1)
    page = app.fetch()
    assert page["changes"] == []
    release.set()
    assert slow.done.wait(WAIT) and quick.done.wait(WAIT)
    assert slow.error is None and quick.error is None

    app.sync()
    assert [(change["slug"], change["action"]) for change in app.seen[1:]] == [
        ("first", "upsert"),
        ("second", "upsert"),
    ]
    assert app.items[("article", "first")]["title"] == "Slow edit"
    assert list(ChangeLogEntry.objects.values_list("slug", flat=True)) == [
        "first",
        "first",
        "second",
    ]


def test_a_cursor_taken_while_a_transaction_is_open_catches_it_later(client):
    ArticleFactory(slug="existing")
    logged, release = threading.Event(), threading.Event()

    def editor():
        with transaction.atomic():
            ArticleFactory(slug="in-flight")
            logged.set()
            assert release.wait(WAIT)

    thread = InThread(editor)
    thread.start()
    assert logged.wait(WAIT)
    app = App(client)
    app.sync()  # the first listing, while the new item is uncommitted
    assert app.slugs() == {"existing"}
    release.set()
    assert thread.done.wait(WAIT) and thread.error is None
    app.sync()
    assert app.slugs() == {"existing", "in-flight"}
