"""
Render public items' answers as the API gives them, to be served as stored bytes.

The viewsets and serializers that answer the long way render them: an item's stored list
entry and detail are that code's output for an anonymous request, with `ORIGIN` in place of
the request's scheme and host, so the two ways cannot drift apart.
"""

from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from apibase.cache_tags import header_value
from apibase.languages import LANGUAGES, Negotiated
from entries.references import RELATED_LIMIT, related_content_of_many
from representations.kinds import materialised_types
from representations.models import RelatedLink, Representation

ORIGIN_HOST = "origin.representations.invalid"
ORIGIN = f"http://{ORIGIN_HOST}"
BATCH = 100


class _AnonymousRequest(HttpRequest):
    """A GET with no credentials, whose absolute addresses start with ORIGIN."""

    scheme = "http"

    def __init__(self):
        super().__init__()
        self.method = "GET"

    def get_host(self):
        return ORIGIN_HOST


def render(kind, ids):
    """Render the public items of type `kind` among `ids`, in every language."""
    ids = sorted(ids)
    for start in range(0, len(ids), BATCH):
        _render_batch(materialised_types()[kind], ids[start : start + BATCH])


def render_stale():
    """Render every stale or missing representation; return how many items were rendered."""
    rendered = 0
    for kind, content_type in materialised_types().items():
        public = set(content_type.model.objects.published().values_list("pk", flat=True))
        fresh = (
            Representation.objects.filter(kind=kind, rendered_changes=F("changes"))
            .values("object_id")
            .annotate(languages=Count("pk"))
            .filter(languages=len(LANGUAGES))
            .values_list("object_id", flat=True)
        )
        stale = public - set(fresh)
        # Those of deleted items (a deletion leaves them: its item is no longer there to name).
        Representation.objects.filter(kind=kind).exclude(
            object_id__in=content_type.model.objects.values("pk")
        ).delete()
        Representation.objects.create_missing({kind: stale})
        render(kind, stale)
        rendered += len(stale)
    return rendered


def _view(content_type, action, language):
    view = content_type.viewset(
        request=Request(_AnonymousRequest(), authenticators=()),
        action=action,
        args=(),
        kwargs={},
        format_kwarg=None,
    )
    view.detail = action == "retrieve"
    view.negotiated = Negotiated(language)
    return view


def _render_batch(content_type, ids):
    # Read in a transaction, so from the primary (api.replicas); the counts first, so a change
    # committed after this read counts past what this rendering records. Written afterwards,
    # a statement per row: a transaction holding some rows while waiting for others would
    # deadlock with a change marking them in the other order.
    with transaction.atomic():
        rendered, links = _render_rows(content_type, ids)
    for pk, changes, values in rendered:
        Representation.objects.filter(pk=pk, rendered_changes__lt=changes).update(
            rendered_changes=changes, **values
        )
    _record_links(content_type.name, links)


def _render_rows(content_type, ids):
    """Return [(row pk, the count it renders, its new values)] and {item pk: related}."""
    renderer = JSONRenderer()
    rows = {
        (row.object_id, row.language): row
        for row in Representation.objects.filter(kind=content_type.name, object_id__in=ids).only(
            "object_id", "language", "changes"
        )
    }
    rendered, links = [], {}
    for language in LANGUAGES:
        detail_view = _view(content_type, "retrieve", language)
        list_view = _view(content_type, "list", language)
        items = list(detail_view.filter_queryset(detail_view.get_queryset()).filter(pk__in=ids))
        context = detail_view.get_serializer_context()
        detail_serializer = detail_view.get_serializer_class()
        list_serializer = list_view.get_serializer_class()
        negotiation = detail_serializer(context=context)
        served = {item: negotiation.served_language(item) for item in items}
        related = {}
        for language_served in set(served.values()):
            group = [item for item in items if served[item] == language_served]
            related.update(related_content_of_many(group, language=language_served))
        context = {**context, "related_content": related}
        for item in items:
            row = rows.get((item.pk, language))
            if row is None:
                continue  # not marked (yet): nothing to record against
            detail = detail_serializer(item, context=context).data
            values = {
                "served_language": served[item],
                "list_item": renderer.render(list_serializer(item, context=context).data).decode(),
                "detail": renderer.render(detail).decode(),
                "cache_tags": header_value(detail_view.cache_tags(detail)),
                "related_floor": _floor(related[item]),
            }
            rendered.append((row.pk, row.changes, values))
            links[item.pk] = related[item]
    return rendered, links


def _floor(references):
    """Tags the last of a full list of related items shares; 0 with room for more."""
    if len(references) < RELATED_LIMIT:
        return 0
    return min(reference.shared_tags for reference in references)


def _record_links(kind, links):
    RelatedLink.objects.filter(kind=kind, object_id__in=list(links)).delete()
    RelatedLink.objects.bulk_create(
        [
            RelatedLink(
                kind=kind, object_id=pk, target_kind=ref.reference_type, target_slug=ref.slug
            )
            for pk, references in links.items()
            for ref in references
        ],
        ignore_conflicts=True,
    )
