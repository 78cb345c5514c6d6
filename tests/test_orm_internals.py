"""
What the project relies on in the private parts of the libraries it builds on: Django's ORM
and django-reversion (entries/orm_internals.py), drf-spectacular (api/schema_internals.py)
and Django's Redis cache backend (api/redis_cache.py).

An upgrade that changes any of it fails here, before with_tags(), the final version of a
deleted entry, search's candidates, the schema or the shipped cache go wrong in a way no
other test would name.
"""

import inspect

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.db.models.query import ModelIterable, QuerySet
from reversion.models import Version

from articles.models import Article
from entries.history import keep_final_version
from entries.orm_internals import own_table_where, queryset_sql, reversion_options
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


def test_queryset_sql_runs_as_the_queryset_does():
    from django.db import connection

    from content.models import Status

    ArticleFactory(slug="b")
    ArticleFactory(slug="a")
    ArticleFactory(slug="draft", status=Status.DRAFT)
    queryset = Article.objects.published().order_by("slug").values_list("slug", flat=True)
    sql, params = queryset_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS nested", params)  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == list(queryset) == ["a", "b"]


SCHEMA_STEPS = {
    "_map_serializer_field": ["self", "field", "direction", "bypass_extensions"],
    "_insert_field_validators": ["self", "field", "schema"],
    "_map_basic_serializer": ["self", "serializer", "direction"],
}


def test_the_private_schema_steps_are_still_there_and_the_only_ones_overridden():
    from drf_spectacular import openapi

    from api.schema import AutoSchema

    for name, parameters in SCHEMA_STEPS.items():
        assert list(inspect.signature(getattr(openapi.AutoSchema, name)).parameters) == parameters
    own = {
        name
        for cls in AutoSchema.__mro__[: AutoSchema.__mro__.index(openapi.AutoSchema)]
        for name in vars(cls)
    }
    overridden = {name for name in own if hasattr(openapi.AutoSchema, name)}
    assert {name for name in overridden if name.startswith("_") and not name.startswith("__")} == (
        set(SCHEMA_STEPS)
    )


def test_drf_spectacular_still_takes_each_field_and_serializer_through_the_private_steps():
    from unittest import mock

    from drf_spectacular.generators import SchemaGenerator

    from api.schema import AutoSchema

    calls = {}

    def counted(name):
        original = getattr(AutoSchema, name)

        def hook(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)

        return mock.patch.object(AutoSchema, name, hook)

    with counted("field_schema"), counted("validated_field_schema"), counted("serializer_schema"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["paths"]
    assert set(calls) == {"field_schema", "validated_field_schema", "serializer_schema"}


def test_the_registry_lists_components_in_the_order_they_were_made():
    from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent

    from api.schema_internals import registered_components

    registry = ComponentRegistry()
    for name in ["Topic", "PaginatedTopicList", "Article"]:
        registry.register(ResolvedComponent(name=name, type="schemas", object=name))
    assert [c.name for c in registered_components(registry)] == [
        "Topic",
        "PaginatedTopicList",
        "Article",
    ]


def test_the_redis_backend_parts_the_shipped_cache_builds_on_are_still_there():
    import redis
    from django.core.cache.backends.redis import RedisCacheClient

    from api.redis_cache import RedisCache, ReusedRedisCacheClient

    assert list(inspect.signature(RedisCacheClient._get_connection_pool).parameters) == [
        "self",
        "write",
    ]
    # Nothing here connects: pools and clients open connections on the first command.
    backend = RedisCache("redis://127.0.0.1:6379/0", {"OPTIONS": {}})
    client = backend._cache
    assert isinstance(client, ReusedRedisCacheClient)
    assert client._client is redis.Redis
    pool = client._get_connection_pool(True)
    assert isinstance(pool, redis.ConnectionPool)
    assert client.get_client(write=True).connection_pool is pool
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client._serializer.loads(client._serializer.dumps({"a": [1]})) == {"a": [1]}
