"""
What entries/orm_internals.py relies on in Django's and django-reversion's private parts.

An upgrade that changes any of it fails here, before with_tags() or the final version of a
deleted entry go wrong in a way no other test would name.
"""

import inspect

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.db.models.query import ModelIterable, QuerySet
from reversion.models import Version

from articles.models import Article
from entries.history import keep_final_version
from entries.orm_internals import own_table_where, reversion_options
from tests.factories import ArticleFactory, ConditionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_queryset_hooks_with_tags_overrides_are_still_there():
    assert list(inspect.signature(QuerySet._iterator).parameters) == [
        "self",
        "use_chunked_fetch",
        "chunk_size",
    ]
    assert list(inspect.signature(QuerySet._clone).parameters) == ["self"]
    assert list(inspect.signature(QuerySet._fetch_all).parameters) == ["self"]
    queryset = Article.objects.all()
    assert queryset._result_cache is None
    assert queryset._iterable_class is ModelIterable
    assert Article.objects.values("pk")._iterable_class is not ModelIterable


def test_every_way_of_reading_goes_through_the_hooks():
    """list(), iterator(), get(), first(), slicing and chained clones all attach the tags."""
    ArticleFactory(conditions=[ConditionFactory()], topics=[TopicFactory()])
    tagged = Article.objects.with_tags()
    reads = [
        next(iter(tagged)),
        next(tagged.iterator(chunk_size=10)),
        next(tagged.iterator()),
        tagged.get(),
        tagged.first(),
        tagged.filter(pk__gt=0).order_by("pk")[0],
        tagged.all()[:1][0],
    ]
    for item in reads:
        assert len(item.condition_tags) == 1
        assert len(item.topic_tags) == 1
    # Rows that are not model instances are left alone.
    assert "condition_tags" not in tagged.values("pk")[0]


def test_reversion_options_are_what_reversion_stores_a_version_with():
    entry = ArticleFactory()
    with reversion.create_revision():
        reversion.add_to_revision(entry)
    stored = Version.objects.get_for_object(entry).first()
    options = reversion_options(Article)
    assert options.format == stored.format
    revision = keep_final_version(entry, actor=None, comment="Deleted.")
    final = Version.objects.get(
        revision=revision,
        content_type=ContentType.objects.get_for_model(entry),
        object_id=str(entry.pk),
    )
    assert final.serialized_data == stored.serialized_data


def test_own_table_where_keeps_in_raw_sql_what_the_queryset_keeps():
    from django.db import connection

    from content.models import Status

    kept = ArticleFactory(title="Kept")
    ArticleFactory(title="Draft", status=Status.DRAFT)
    ArticleFactory(title="Other")
    queryset = Article.objects.published().filter(title__startswith="Ke")
    where, params = own_table_where(queryset)
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {where}", params)  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == [kept.pk]
    assert own_table_where(Article.objects.all()) == ("", [])
    nothing, params = own_table_where(Article.objects.filter(pk__in=[]))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {nothing}", params)  # noqa: S608
        assert cursor.fetchall() == []


def test_own_table_where_refuses_filters_through_another_table():
    tagged = Article.objects.filter(conditions__slug="depression")
    with pytest.raises(TypeError):
        own_table_where(tagged)
    with pytest.raises(TypeError):
        own_table_where(Article.objects.all().union(Article.objects.all()))
