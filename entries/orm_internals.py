"""
Every use of a private internal of Django's ORM or of django-reversion, in one module.
(drf-spectacular's are in api/schema_internals.py, those of Django's Redis cache backend in
api/redis_cache.py.)

They break silently on an upgrade, so each is here with the reason it is worth it, and
tests/test_orm_internals.py fails when an upgrade changes what they rely on.

- `TagReferencesMixin` (with_tags()) hooks QuerySet._clone(), _fetch_all() and _iterator():
  each page's tags are read with SQL the ORM wrote once per page size (`tag_rows_sql`, a
  compiled-SQL cache) into read-only tuples. The public equivalent,
  prefetch_related(Prefetch(..., to_attr=...)), makes as many queries but builds the tag
  queries and a model instance per tag on every page: reading a list page of 20 articles
  with their tags takes 1.85 times as long on SQLite and 1.5 times on PostgreSQL
  (bench/tag_references.py, medians of 7 rounds).
- `own_table_where()` compiles a QuerySet's WHERE clause (Query.where, the compiler's
  compile()) to repeat it inside raw SQL: related content's tiers (sharing_tags_sql()) and
  the search engines' lookups filter by the items' own columns in each subquery, so that
  each stays one index scan. The public alternative reads the kept pks first and sends
  them back as a list: a detail's related content takes 1.9 times as long on SQLite and
  2.4 times on PostgreSQL at 200 articles (bench/own_table_where.py, medians of 9 rounds).
- `queryset_sql()` nests a QuerySet's SELECT in raw SQL (Query.sql_with_params(), which
  Django's own subqueries use but does not document): the search engines' candidates are
  the filtered documents, whatever their filters join.
- `reversion_options()` reads how django-reversion serializes a model
  (reversion.revisions._get_options): entries.history writes a version outside any open
  revision, which django-reversion has no public call for, and must store it exactly as
  django-reversion would.
"""

import functools
import itertools
from collections import namedtuple

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models.query import ModelIterable
from reversion import revisions


def reversion_options(model):
    """How django-reversion stores versions of `model`: its `format` and `fields`."""
    return revisions._get_options(model)


def own_table_where(queryset):
    """
    Return `(sql, params)`: the WHERE clause of `queryset`, whose filters must be on its own
    table's columns (TypeError otherwise), to repeat in raw SQL over that table; "" if it
    keeps every row.
    """
    query = queryset.query
    joined = {alias for alias, count in query.alias_refcount.items() if count}
    if joined - {query.base_table} or query.combinator:
        raise TypeError("own_table_where() takes filters on the table's own columns only.")
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "", []
    except EmptyResultSet:
        return "1 = 0", []
    return sql, list(params)


def queryset_sql(queryset):
    """Return `(sql, params)` of the SELECT `queryset` runs, to nest in raw SQL."""
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def related_ordering(relation, name):
    """Order by the related model's field `name` ("-name" for descending) across `relation`."""
    descending = name.startswith("-")
    return f"{'-' if descending else ''}{relation}__{name.removeprefix('-')}"


# Where with_tags() puts each kind of tag on an item.
TAG_ATTRIBUTES = {"conditions": "condition_tags", "topics": "topic_tags"}


@functools.cache
def tag_reference_type(tag_model):
    """
    A read-only stand-in for a tag: its pk, the fields content shows of it and what it reads
    of its translations (`reference_translations()`).
    """
    return namedtuple(
        f"{tag_model.__name__}Reference",
        ["pk", *tag_model.reference_fields, *tag_model.reference_translations("tag")],
    )


@functools.lru_cache(maxsize=256)
def tag_rows_sql(model, relation, alias, count):
    """
    Return the SQL that reads, for `count` items given by pk, what content shows of their
    tags, and the parameters that come before the pks.

    Each row is the item's pk, the tag's pk, the tag's `reference_fields` and what it reads
    of its translations, in the tag model's order. The ORM writes it, once per page size:
    building the query costs several times what running it does, and from one page to the
    next only the item pks change.
    """
    field = model._meta.get_field(relation)
    own, tag = field.m2m_field_name(), field.m2m_reverse_field_name()
    tag_model = field.related_model
    translations = tag_model.reference_translations(tag)
    rows = (
        field.remote_field.through._base_manager.using(alias)
        .filter(**{f"{own}__in": range(count)})
        .annotate(**translations)
        .order_by(*(related_ordering(tag, name) for name in tag_model._meta.ordering))
        .values_list(
            f"{own}_id",
            f"{tag}_id",
            *(f"{tag}__{name}" for name in tag_model.reference_fields),
            *translations,
        )
    )
    sql, params = rows.query.get_compiler(using=alias).as_sql()
    # The translations' published state is read with fixed values (state, kind, language),
    # which come first; the item pks last.
    leading, pks = list(params[: len(params) - count]), list(params[len(params) - count :])
    if pks != list(range(count)):
        raise RuntimeError(f"The SQL of {relation} takes other parameters than the item pks.")
    return sql, leading


class TagReferencesMixin:
    """with_tags() for a QuerySet: each item's tags as read-only references, one query a kind."""

    # The kinds of tag with_tags() reads, by relation name.
    _tag_relations = ()

    def with_tags(self, *, conditions=True, topics=True):
        """
        Read what content shows of each tag, one query per kind whatever the page size.

        The tags land in plain lists, `condition_tags` and `topic_tags`, of read-only tag
        references (see `tag_reference_type()`): a model instance per tag on a list page
        costs more than the query that reads them. An entry's hero image, where its type has
        one, is read in the same query as the entry.
        """
        clone = self.all()
        if any(field.name == "image" for field in self.model._meta.concrete_fields):
            clone = clone.select_related("image")
        clone._tag_relations = tuple(
            relation
            for relation, wanted in (("conditions", conditions), ("topics", topics))
            if wanted
        )
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._tag_relations = self._tag_relations
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._tag_relations and self._iterable_class is ModelIterable:
            for relation in self._tag_relations:
                self._attach_tags(relation, self._result_cache)

    def _iterator(self, use_chunked_fetch, chunk_size):
        items = super()._iterator(use_chunked_fetch, chunk_size)
        if not self._tag_relations or self._iterable_class is not ModelIterable:
            yield from items
            return
        # As prefetch_related() does with iterator(): the tags of each chunk in one go.
        while chunk := list(itertools.islice(items, chunk_size or 2000)):
            for relation in self._tag_relations:
                self._attach_tags(relation, chunk)
            yield from chunk

    def _attach_tags(self, relation, items):
        """Set `<kind>_tags` on each item: its tags in the tag model's order."""
        to_attr = TAG_ATTRIBUTES[relation]
        by_pk = {}
        for item in items:
            setattr(item, to_attr, [])
            by_pk[item.pk] = item
        if not by_pk:
            return
        reference = tag_reference_type(self.model._meta.get_field(relation).related_model)
        sql, leading = tag_rows_sql(self.model, relation, self.db, len(by_pk))
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [*leading, *by_pk])
            rows = cursor.fetchall()
        # A tag on several items of the page is one object, as it is one row of its table.
        references = {}
        for own_pk, tag_pk, *values in rows:
            tag_reference = references.get(tag_pk)
            if tag_reference is None:
                tag_reference = references[tag_pk] = reference(tag_pk, *values)
            getattr(by_pk[own_pk], to_attr).append(tag_reference)
