"""
A rendering racing a change, on PostgreSQL with a connection each, as a worker and an editor's
request would be: the rendering read the item before the change committed, so what it stores
must never be served as current.
"""

import threading
from unittest import mock

import pytest
from django.core.cache import cache

from api.public_answers import content_version
from articles.models import Article
from representations import rendering
from representations.models import Representation
from representations.tasks import render_stale
from tests.factories import ArticleFactory, ConditionFactory
from tests.test_sync_concurrency import WAIT, InThread

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def title_served(client, slug):
    cache.clear()
    content_version.forget()
    return client.get(f"/api/v1/articles/{slug}/").json()["title"]


@pytest.mark.parametrize("inline_limit", [0, 20], ids=["worker-renders", "rendered-after-commit"])
def test_a_rendering_that_read_before_a_change_never_passes_for_current(
    client, settings, inline_limit
):
    settings.RENDER_INLINE_LIMIT = inline_limit
    article = ArticleFactory(slug="raced", title="Before", conditions=[ConditionFactory()])
    assert title_served(client, "raced") == "Before"
    read, release = threading.Event(), threading.Event()
    real_related = rendering.related_content_of_many

    def related_then_wait(*args, **kwargs):
        # The racing rendering has read the item: hold it here while the change commits.
        if threading.current_thread() is worker:
            read.set()
            assert release.wait(WAIT)
        return real_related(*args, **kwargs)

    def stale_rendering():
        Representation.objects.filter(object_id=article.pk).update(changes=0, rendered_changes=0)
        Representation.objects.filter(object_id=article.pk).update(changes=1)
        rendering.render("article", [article.pk])

    with mock.patch.object(rendering, "related_content_of_many", related_then_wait):
        worker = InThread(stale_rendering)
        worker.start()
        assert read.wait(WAIT)
        with mock.patch.object(render_stale, "apply_async"):
            changed = Article.objects.get(pk=article.pk)
            changed.title = "After"
            changed.save()
        release.set()
        assert worker.done.wait(WAIT * 3)
    assert worker.error is None
    assert title_served(client, "raced") == "After"
    # Nothing the racing rendering wrote is taken for current; the next rendering is.
    rendering.render_stale()
    assert title_served(client, "raced") == "After"
    assert not Representation.objects.filter(detail__contains='"title":"Before"').exists()
