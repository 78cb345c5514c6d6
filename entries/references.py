"""
References from one item to others across every content type: related content and tag hubs.

The content models are the registered content types (content/registry.py), so that no content
app imports another: each query runs through the model's own `published()`, one query per
content type whatever the amount of content.
"""

from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content import registry

RELATED_LIMIT = 6
HUB_LIMIT = 5


def content_models():
    """Return every content model, in the order they were registered (content/registry.py)."""
    return registry.models()


def api_url(request, item):
    """Return the absolute address of an item's detail in the API."""
    path = reverse(f"{item.reference_type}-detail", kwargs={"slug": item.slug})
    return request.build_absolute_uri(path)


class ContentReference(NamedTuple):
    """What a reference shows of an item, read without building the item itself."""

    reference_type: str
    slug: str
    # Its title in the language asked for where published, as as_references() annotates it.
    reference_title: str
    # How many conditions and topics it shares with the item it is related to.
    shared_tags: int = 0


# Items whose related content one query reads at most: SQLite refuses a statement of more
# than 500 SELECTs, and each item takes one per content type.
RELATED_BATCH = 100


def _related_sql(item, limit, language):
    """Return SQL and parameters ranking what is related to `item`, or None if it has no tags."""
    condition_ids = [tag.pk for tag in item.condition_tags]
    topic_ids = [tag.pk for tag in item.topic_tags]
    if not condition_ids and not topic_ids:
        return None
    ctes, cte_params, parts, params = [], [], [], []
    for model in content_models():
        queryset = model.objects.published()
        if isinstance(item, model):
            queryset = queryset.exclude(pk=item.pk)
        cte, tag_params, sql, part_params = queryset.sharing_tags_sql(
            condition_ids, topic_ids, f"shared_{model.reference_type}", limit, language
        )
        ctes.append(cte)
        cte_params += tag_params
        parts.append(sql)
        params += part_params
    # By position: shared_tags, published_at, type, slug.
    sql = (
        f"WITH {', '.join(ctes)} "
        + " UNION ALL ".join(parts)
        + " ORDER BY 5 DESC, 4 DESC, 1, 2 LIMIT %s"
    )
    return sql, [*cte_params, *params, limit]


def related_content(item, limit=RELATED_LIMIT):
    """
    Return up to `limit` published items of any type sharing conditions or topics with `item`.

    Most shared tags first, then newest first, then by type and slug; titled in the active
    language where an item's translation into it is published. Reads the item's
    `condition_tags` and `topic_tags` (see `with_tags()`). One query: the candidates of
    every type in a UNION, ranked and cut to `limit` by the database.
    """
    return related_content_of_many([item], limit).get(item, [])


def related_content_of_many(items, limit=RELATED_LIMIT, language=None):
    """
    Return {item: its related content} for many items, as `related_content()` ranks it,
    titled in `language` (default: the active one).

    One query per RELATED_BATCH items: each item's ranked candidates as a subquery, tagged
    with the item's position, all of them in one UNION.
    """
    language = language or translation.get_language()
    related = {item: [] for item in items}
    ranked = [(item, _related_sql(item, limit, language)) for item in items]
    ranked = [(item, query) for item, query in ranked if query is not None]
    for start in range(0, len(ranked), RELATED_BATCH):
        batch = ranked[start : start + RELATED_BATCH]
        parts, params = [], []
        for position, (_item, (sql, item_params)) in enumerate(batch):
            # Only the ranking SQL built above goes into the text; values are parameters.
            parts.append(f"SELECT {position} AS item, ranked.* FROM ({sql}) ranked")  # noqa: S608  # nosec B608
            params += item_params
        using = batch[0][0]._state.db or DEFAULT_DB_ALIAS
        with connections[using].cursor() as cursor:
            # By position: item, then as each subquery ranks (shared_tags, published_at, ...).
            cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 1, 6 DESC, 5 DESC, 2, 3", params)
            rows = cursor.fetchall()
        for row in rows:
            related[batch[row[0]][0]].append(ContentReference(*row[1:4], shared_tags=row[5]))
    return related


def tag_hub(tag, limit=HUB_LIMIT, language=None):
    """
    Return, by content group, the newest `limit` published items tagged with `tag`, titled
    in `language` (default: the active one) where their translation is published.
    """
    language = language or translation.get_language()
    hub = {}
    for model in content_models():
        (relation,) = [
            field.name for field in model._meta.many_to_many if field.related_model is type(tag)
        ]
        hub[model.reference_group] = list(
            model.objects.published()
            .filter(**{relation: tag})
            .order_by("-published_at", "slug")
            .as_references(language)[:limit]
        )
    return hub


class ContentReferenceSerializer(serializers.Serializer):
    """An article, FAQ, research summary or glossary entry as other resources point to it."""

    type = serializers.ChoiceField(
        choices=registry.TYPE_NAMES, read_only=True, help_text="Its content type."
    )
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="Its title; an FAQ's question.")
    url = serializers.URLField(read_only=True, help_text="Its detail in this API.")

    def to_representation(self, item):
        return {
            "type": item.reference_type,
            "slug": item.slug,
            "title": item.reference_title,
            "url": api_url(self.context["request"], item),
        }


@extend_schema_field(ContentReferenceSerializer(many=True))
class RelatedContentField(serializers.Field):
    """Published items of every type that share the most conditions and topics with this one."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, item):
        # Serialising many items, pass their related content as context["related_content"]
        # (see `related_content_of_many()`) to read it in one query.
        index = self.context.get("related_content")
        references = index[item] if index is not None else related_content(item)
        return ContentReferenceSerializer(references, many=True, context=self.context).data


class HubSerializer(serializers.Serializer):
    """The newest published items of each type tagged with a condition or topic."""

    def get_fields(self):
        # One list per content type, by its group ("articles").
        return {
            content_type.group: ContentReferenceSerializer(many=True, read_only=True)
            for content_type in registry.content_types()
        }

    def to_representation(self, tag):
        hub = tag_hub(tag)
        return {
            group: ContentReferenceSerializer(items, many=True, context=self.context).data
            for group, items in hub.items()
        }
