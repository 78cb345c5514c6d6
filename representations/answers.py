"""
Anonymous reads of a content list page or detail answered from stored representations.

One query reads the page's (or the item's) stored JSON, joined to the item's own table under
the content model's own `published()` rule: what is not public now is never answered, whatever
is stored. When an item on the page has no fresh representation (one being rendered again), or
the request asks for more than a plain page (filters, `?fields=`, `?fallback=false`, another
Accept), this returns None and the view answers the long way, as it renders representations.
"""

import functools

from django.db import connections
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apibase.cache_tags import set_cache_tags
from apibase.languages import (
    DEFAULT_LANGUAGE,
    FALLBACK_PARAMETER,
    LANGUAGE_PARAMETER,
    LANGUAGES,
    negotiated_language,
    set_language_headers,
)
from entries.orm_internals import own_table_where
from representations.kinds import type_of_viewset
from representations.models import Representation
from representations.rendering import ORIGIN

DETAIL_PARAMETERS = frozenset({LANGUAGE_PARAMETER, FALLBACK_PARAMETER})
# Accept headers DRF answers with JSON as it is (no parameters such as `indent`).
PLAIN_JSON = frozenset({"", "*/*", "application/json", "application/*"})
ORIGIN_BYTES = ORIGIN.encode()


def materialised_answer(request, view):
    """Return the answer to `view` (a resolved address) from stored representations, or None
    to answer the long way."""
    content_type = type_of_viewset(view.func.cls)
    if content_type is None or request.META.get("HTTP_ACCEPT", "").strip() not in PLAIN_JSON:
        return None
    slug = view.kwargs.get("slug")
    params = request.GET
    paginator = api_settings.DEFAULT_PAGINATION_CLASS
    allowed = DETAIL_PARAMETERS
    if not slug:
        allowed = allowed | {paginator.page_query_param, paginator.page_size_query_param}
    if set(params) - allowed or any(len(values) > 1 for _name, values in params.lists()):
        return None
    if (
        params.get(FALLBACK_PARAMETER, "true") != "true"
        or params.get(LANGUAGE_PARAMETER, DEFAULT_LANGUAGE) not in LANGUAGES
    ):
        return None
    language = negotiated_language(request)
    if slug:
        response = _detail(request, content_type, slug, language)
    else:
        response = _list(request, content_type, language, paginator)
    if response is not None:
        response["Allow"] = _allowed_methods(view.func)
    return response


def _detail(request, content_type, slug, language):
    sql, params = _detail_sql(content_type.model, language, slug)
    with connections[content_type.model.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or not row[3]:
        return None
    body, served, cache_tags, _fresh = row
    response = _response(request, body.encode(), served)
    set_cache_tags(response, cache_tags.split(","))
    return response


def _list(request, content_type, language, paginator):
    """A page as `paginator` (the API's pagination class) would number and link it."""
    page_param = paginator.page_query_param
    page_size = _whole_number(
        request.GET.get(paginator.page_size_query_param, str(paginator.page_size)),
        maximum=paginator.max_page_size,
    )
    page = _whole_number(request.GET.get(page_param, "1"))
    if page is None or page_size is None:
        return None
    sql, params = _list_sql(content_type.model, language, page_size, (page - 1) * page_size)
    with connections[content_type.model.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # No rows: an empty collection, or a page past the end (a 404): the long way says which.
    if not rows or not all(fresh for _body, _served, fresh, _count in rows):
        return None
    count = rows[0][3]
    url = request.build_absolute_uri()
    envelope = JSONRenderer().render(
        {
            "count": count,
            "next": (
                replace_query_param(url, page_param, page + 1) if page * page_size < count else None
            ),
            "previous": (
                None
                if page == 1
                else remove_query_param(url, page_param)
                if page == 2
                else replace_query_param(url, page_param, page - 1)
            ),
            "results": [],
        }
    )
    items = ",".join(body for body, _served, _fresh, _count in rows).encode()
    body = envelope.removesuffix(b"[]}") + b"[" + items + b"]}"
    served = dict.fromkeys([language, *(row[1] for row in rows)])
    response = _response(request, body, ", ".join(served))
    set_cache_tags(response, [content_type.group])
    return response


def _response(request, body, languages):
    origin = f"{request.scheme}://{request.get_host()}".encode()
    response = HttpResponse(body.replace(ORIGIN_BYTES, origin), content_type="application/json")
    # In the order the long way adds them: the language, then DRF's Accept.
    set_language_headers(response, languages)
    patch_vary_headers(response, ("Accept",))
    return response


@functools.cache
def _allowed_methods(view_func):
    """The Allow header DRF gives: the methods the router maps at this address, and OPTIONS."""
    actions = view_func.actions
    return ", ".join(
        method.upper()
        for method in view_func.cls.http_method_names
        if method in actions or method == "options" or (method == "head" and "get" in actions)
    )


def _whole_number(raw, maximum=None):
    # Longer ones are past any page there is: the long way answers those with a 404.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return None
    value = int(raw)
    return value if 1 <= value <= (maximum or value) else None


def _published_where(model):
    """
    The WHERE clause of the model's `published()`, compiled at most once a second: compiling
    it cost more than the query. Its clock is all that changes, and it is never ahead of the
    real one: an item whose publish date has just come shows a second late at most, never early.
    """
    return _compiled_published_where(model, int(timezone.now().timestamp()))


@functools.lru_cache(maxsize=16)
def _compiled_published_where(model, second):
    return own_table_where(model.objects.published())


def _columns(model):
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    rep = quote(Representation._meta.db_table)
    pk = f"{table}.{quote(model._meta.pk.column)}"
    join = (
        f"LEFT OUTER JOIN {rep} ON ({rep}.kind = %s AND {rep}.language = %s "
        f"AND {rep}.object_id = {pk})"
    )
    return quote, table, rep, join


def _list_sql(model, language, limit, offset):
    """
    The page's ids first, then their representations: joined before the page is cut, every
    public item's stored JSON would be read to be dropped (and PostgreSQL sorts the rows it
    reads whole). The count is a subquery of its own, run once.
    """
    quote, table, rep, join = _columns(model)
    where, where_params = _published_where(model)
    columns, ordering, outer_ordering = [], [], []
    for position, name in enumerate(model._meta.ordering):
        field_name = name.lstrip("-")
        field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
        direction = " DESC" if name.startswith("-") else ""
        columns.append(f"{table}.{quote(field.column)} AS o{position}")
        ordering.append(f"{table}.{quote(field.column)}{direction}")
        outer_ordering.append(f"page.o{position}{direction}")
    pk = f"{table}.{quote(model._meta.pk.column)}"
    sql = (
        f"SELECT {rep}.list_item, {rep}.served_language, "  # noqa: S608  # nosec B608
        f"{rep}.rendered_changes = {rep}.changes, "
        f"(SELECT COUNT(*) FROM {table} WHERE {where}) "
        f"FROM (SELECT {pk} AS id, {', '.join(columns)} FROM {table} WHERE {where} "
        f"ORDER BY {', '.join(ordering)} LIMIT %s OFFSET %s) page "
        f"{join.replace(pk, 'page.id')} ORDER BY {', '.join(outer_ordering)}"
    )
    return sql, [*where_params, *where_params, limit, offset, model.reference_type, language]


def _detail_sql(model, language, slug):
    quote, table, rep, join = _columns(model)
    where, where_params = _published_where(model)
    sql = (
        f"SELECT {rep}.detail, {rep}.served_language, {rep}.cache_tags, "  # noqa: S608  # nosec B608
        f"{rep}.rendered_changes = {rep}.changes "
        f"FROM {table} {join} WHERE {where} AND {table}.{quote('slug')} = %s"
    )
    return sql, [model.reference_type, language, *where_params, slug]
