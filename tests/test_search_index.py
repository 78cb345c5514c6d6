"""
The search index follows every save, publish, unpublish, delete and tag change at once, and
never shows what is not public: not in results, facets, suggestions or corrections.
"""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from content.models import Status
from search.models import SearchDocument
from tests.factories import HIDDEN_STATES, ArticleFactory, ConditionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200
    return [result["slug"] for result in response.json()["results"]]


def suggested(client, q):
    response = client.get("/api/v1/search/suggest/", {"q": q})
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["suggestions"]]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_appear_nowhere_in_search(client, content, state):
    resource, factory = content
    condition, topic = ConditionFactory(slug="pain"), TopicFactory(slug="dose")
    title = {"faqs": "question", "glossary": "term"}.get(resource, "title")
    factory(slug="public", **{title: "Zygomatic ketamine"})
    factory(**{state: True}, slug="hidden", conditions=[condition], topics=[topic],
            **{title: "Zygomatic ketamine hidden quokka"})  # fmt: skip
    body = client.get("/api/v1/search/", {"q": "zygomatic"}).json()
    assert [result["slug"] for result in body["results"]] == ["public"]
    assert body["facets"]["condition"] == [] and body["facets"]["topic"] == []
    assert sum(facet["count"] for facet in body["facets"]["type"]) == 1
    assert found(client, "quokka") == []
    assert found(client, "quoka") == []
    assert client.get("/api/v1/search/", {"q": "quoka"}).json()["suggestion"] is None
    assert suggested(client, "zygo") == ["public"]
    listed = client.get(f"/api/v1/{resource}/", {"q": "zygomatic"}).json()["results"]
    assert [item["slug"] for item in listed] == ["public"]


def test_scheduled_item_appears_when_its_time_comes(client):
    ArticleFactory(slug="later", title="Quokka news", scheduled=True)
    assert found(client, "quokka") == []
    later = timezone.now() + datetime.timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert found(client, "quokka") == ["later"]


def test_index_follows_edit_publish_unpublish_and_delete(client):
    item = ArticleFactory(slug="item", title="Quokka care", draft=True)
    assert found(client, "quokka") == []
    item.status = Status.PUBLISHED
    item.save()
    assert found(client, "quokka") == ["item"]
    item.title = "Wombat care"
    item.save()
    assert found(client, "quokka") == []
    assert found(client, "wombat") == ["item"]
    item.status = Status.DRAFT
    item.save()
    assert found(client, "wombat") == []
    item.status = Status.PUBLISHED
    item.save()
    item.delete()
    assert found(client, "wombat") == []
    assert not SearchDocument.objects.exists()


def test_index_follows_tag_changes(client):
    condition = ConditionFactory(slug="pain", name="Chronic pain")
    item = ArticleFactory(slug="item", title="Ketamine notes")
    assert found(client, "ketamine", condition="pain") == []
    item.conditions.add(condition)
    assert found(client, "ketamine", condition="pain") == ["item"]
    condition.other_names = ["quokkalgia"]
    condition.save()
    assert found(client, "quokkalgia") == ["item"]
    condition.articles.remove(item)
    assert found(client, "ketamine", condition="pain") == []
    item.conditions.add(condition)
    condition.articles.clear()
    assert found(client, "quokkalgia") == []
    item.conditions.add(condition)
    condition.delete()
    assert found(client, "quokkalgia") == []


def test_rebuild_command_indexes_everything_afresh(client):
    ArticleFactory(slug="kept", title="Quokka")
    ArticleFactory(title="Quokka draft", draft=True)
    # Writes through QuerySet.update() bypass signals: the rebuild catches them up.
    Article.objects.filter(slug="kept").update(title="Wombat")
    assert found(client, "wombat") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 document" in out.getvalue()
    assert found(client, "wombat") == ["kept"]
    assert found(client, "quokka") == []
