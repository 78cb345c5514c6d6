"""Publishing events are written in the transaction of the change they announce."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from content.models import Status
from publishing.models import ContentVersion
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    GlossaryEntryFactory,
    sign_off_text,
)
from webhooks.models import OutboxEvent

pytestmark = pytest.mark.django_db


def events():
    return [(event.type, event.content_type, event.slug) for event in OutboxEvent.objects.all()]


def new_article(editor_api, **fields):
    body = {
        "slug": "new-article",
        "title": "A new article",
        "summary": "Short.",
        "body": "Words.",
        **fields,
    }
    answer = editor_api.post("/api/v1/articles/", body, format="json")
    assert answer.status_code == 201, answer.content
    # A medical reviewer signs it off, so that it may be published.
    sign_off_text(Article.objects.get(slug=body["slug"]))
    return answer


def test_publishing_records_one_event_with_the_new_generation(editor_api):
    ConditionFactory(slug="ptsd")
    new_article(editor_api, status="draft")
    assert events() == []
    editor_api.patch("/api/v1/articles/new-article/", {"status": "in_review"}, format="json")
    assert events() == []
    editor_api.patch("/api/v1/articles/new-article/", {"status": "published"}, format="json")
    (event,) = OutboxEvent.objects.all()
    assert (event.type, event.slug) == ("content.published", "new-article")
    assert event.generation == ContentVersion.objects.get().generation
    assert event.due_at <= timezone.now()
    assert event.dispatched_at is None


def test_publishing_with_tags_is_one_event_not_two(editor_api):
    ConditionFactory(slug="ptsd")
    new_article(editor_api, status="in_review", conditions=["ptsd"])
    editor_api.patch(
        "/api/v1/articles/new-article/", {"status": "published", "conditions": []}, format="json"
    )
    assert events() == [("content.published", "article", "new-article")]


def test_each_kind_of_change_is_its_event(editor_api):
    article = ArticleFactory(slug="old-name")
    ConditionFactory(slug="ptsd")
    OutboxEvent.objects.all().delete()
    editor_api.patch("/api/v1/articles/old-name/", {"author": "Better"}, format="json")
    editor_api.patch("/api/v1/articles/old-name/", {"conditions": ["ptsd"]}, format="json")
    editor_api.patch("/api/v1/articles/old-name/", {"slug": "new-name"}, format="json")
    editor_api.patch("/api/v1/articles/new-name/", {"status": "draft"}, format="json")
    OutboxEvent.objects.update(dispatched_at=timezone.now())
    article.refresh_from_db()
    assert events() == [
        ("content.updated", "article", "old-name"),
        ("content.updated", "article", "old-name"),
        ("content.unpublished", "article", "old-name"),
        ("content.published", "article", "new-name"),
        ("content.unpublished", "article", "new-name"),
    ]
    OutboxEvent.objects.all().delete()
    editor_api.delete("/api/v1/articles/new-name/")
    assert events() == []  # a draft was never public: nothing to tell
    faq = FAQFactory(slug="public-faq", conditions=[ConditionFactory(slug="depression")])
    OutboxEvent.objects.all().delete()
    editor_api.delete("/api/v1/faqs/public-faq/")
    (deleted,) = OutboxEvent.objects.all()
    assert (deleted.type, deleted.slug, deleted.object_id) == (
        "content.deleted",
        "public-faq",
        faq.pk,
    )
    assert deleted.tags == {"conditions": ["depression"], "topics": []}


def test_drafts_never_make_events(editor_api):
    new_article(editor_api, status="draft")
    editor_api.patch("/api/v1/articles/new-article/", {"title": "Still a draft"}, format="json")
    editor_api.delete("/api/v1/articles/new-article/")
    assert events() == []


def test_a_refused_write_records_no_event(editor_api):
    ArticleFactory(slug="kept")
    OutboxEvent.objects.all().delete()
    answer = editor_api.patch(
        "/api/v1/articles/kept/", {"title": "x" * 1000, "summary": "New"}, format="json"
    )
    assert answer.status_code == 400
    assert events() == []


def test_an_event_rolls_back_with_its_change():
    article = ArticleFactory(slug="rolled-back", draft=True)
    OutboxEvent.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.status = Status.PUBLISHED
        article.save()
        assert events() == [("content.published", "article", "rolled-back")]
        raise RuntimeError("the change fails after the event was written")
    assert events() == []


def test_scheduling_records_an_event_due_at_the_publish_date(editor_api):
    later = timezone.now() + datetime.timedelta(hours=2)
    new_article(editor_api, status="in_review", published_at=later.isoformat())
    editor_api.patch("/api/v1/articles/new-article/", {"status": "published"}, format="json")
    (event,) = OutboxEvent.objects.all()
    assert event.type == "content.published"
    assert event.due_at == later
    assert event.generation is None  # taken when it fires
    # Moving the date replaces it; unpublishing cancels it.
    sooner = later - datetime.timedelta(hours=1)
    editor_api.patch(
        "/api/v1/articles/new-article/", {"published_at": sooner.isoformat()}, format="json"
    )
    assert list(OutboxEvent.objects.values_list("due_at", flat=True)) == [sooner]
    editor_api.patch("/api/v1/articles/new-article/", {"status": "draft"}, format="json")
    assert events() == []


def test_the_admin_records_events_too(client, editor):
    from tests.factories import ArticleFactory as Factory

    article = Factory(slug="via-admin", in_review=True)
    client.force_login(editor)
    answer = client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert answer.status_code == 302
    assert events() == [("content.published", "article", "via-admin")]


def test_an_item_the_glossary_re_marks_is_announced_as_updated():
    article = ArticleFactory(slug="glutamate-signals", body="Glutamate carries signals.")
    draft = ArticleFactory(slug="draft-about-glutamate", body="Glutamate.", draft=True)
    ArticleFactory(slug="unrelated", body="Nothing to mark.")
    OutboxEvent.objects.all().delete()
    entry = GlossaryEntryFactory(slug="glutamate", term="glutamate", draft=True)
    assert events() == []

    entry.status = Status.PUBLISHED
    entry.save()
    assert sorted(events()) == [
        ("content.published", "glossary", "glutamate"),
        ("content.updated", "article", "glutamate-signals"),
    ]
    (updated,) = OutboxEvent.objects.filter(type="content.updated")
    assert updated.object_id == article.pk
    assert updated.generation == ContentVersion.objects.get().generation
    assert not OutboxEvent.objects.filter(object_id=draft.pk, content_type="article").exists()

    # Archiving the term un-marks the article: announced again, once the first event went out.
    OutboxEvent.objects.update(dispatched_at=timezone.now())
    entry.status = Status.ARCHIVED
    entry.save()
    pending = OutboxEvent.objects.filter(dispatched_at__isnull=True)
    assert sorted((event.type, event.slug) for event in pending) == [
        ("content.unpublished", "glutamate"),
        ("content.updated", "glutamate-signals"),
    ]
