"""
Which representations a change makes stale: counted up in the change's own transaction, so an
answer read after the commit never shows what was there before; rendered again after it.

A change to item Y (publishing.changes.content_changed names it) alters the answers of:

- Y itself, in every language;
- every item whose detail shows Y among its related items (RelatedLink): Y's title, address
  or status changed, or Y went;
- every item X that may now rank Y among its related items: X shares at least as many tags
  with Y as X's last related item shares with X (`related_floor`).

A change naming more than MARK_ALL_ABOVE items (a tag renamed, a notice changed everywhere)
marks every representation: working out which ones would cost more than rendering them.

The changed items themselves are rendered right after the commit (up to RENDER_INLINE_LIMIT
of them); the worker renders the rest (representations.tasks), and every
RENDER_STALE_INTERVAL_SECONDS whatever a lost task left. The changes of one transaction are
rendered together, once: an import or a load making hundreds of changes renders each item
once, not once per change.
"""

import collections
import logging
import threading

from django.conf import settings
from django.db import transaction
from django.db.models import F

from apibase.languages import DEFAULT_LANGUAGE
from content import registry
from representations.kinds import materialised_types
from representations.models import RelatedLink, Representation

logger = logging.getLogger(__name__)

MARK_ALL_ABOVE = 100


class PendingRenders(threading.local):
    """What this thread's changes left to render after their commit, gathered over the
    transaction: the first of its commit hooks takes it all, and the rest find nothing."""

    def __init__(self):
        self.changed = collections.defaultdict(set)
        self.others = False

    def add(self, changed, others):
        for kind, ids in changed.items():
            self.changed[kind].update(ids)
        self.others = self.others or others

    def render(self):
        changed, others = dict(self.changed), self.others
        self.changed.clear()
        self.others = False
        if changed or others:
            render_soon(changed, others)


pending_renders = PendingRenders()


def items_changed(sender, upserts=(), removes=(), **kwargs):
    """Receive publishing.changes.public_items_changed: mark, then render after the commit."""
    if not upserts and not removes:
        return
    # Items of every type are shown as related (glossary entries too); only some types'
    # answers are stored.
    public = _public_ids(upserts)
    stored = {kind: ids for kind, ids in public.items() if kind in materialised_types()}
    Representation.objects.create_missing(stored)
    if len(upserts) > MARK_ALL_ABOVE:
        Representation.objects.update(changes=F("changes") + 1)
        stored, others = {}, True
    else:
        stale = _linked_to([*upserts, *removes])
        for kind, ids in _ranking_with(public).items():
            stale[kind].update(ids)
        for kind, ids in stored.items():
            stale[kind].update(ids)
        for kind, ids in stale.items():
            Representation.objects.filter(kind=kind, object_id__in=ids).update(
                changes=F("changes") + 1
            )
        others = any(ids - stored.get(kind, set()) for kind, ids in stale.items())
    # A change rolled back with its savepoint may stay gathered: rendering reads what was
    # committed, so it costs a rendering at most.
    pending_renders.add(stored, others)
    transaction.on_commit(pending_renders.render, robust=True)


def rerender_everything(sender, using, **kwargs):
    """
    After `migrate` (every deployment runs it): the code that renders answers may have changed,
    so every stored answer is rendered again, as the answer cache starts a new generation.
    """
    from representations import rendering

    Representation.objects.using(using).update(changes=F("changes") + 1)
    rendering.render_stale()


def render_soon(changed, others):
    """
    Render the changed items here and now, if they are few; leave the rest to the worker:
    the items they appear in, which are answered the long way meanwhile.
    """
    from representations import rendering, tasks

    if sum(map(len, changed.values())) <= settings.RENDER_INLINE_LIMIT:
        for kind, ids in changed.items():
            rendering.render(kind, ids)
    elif changed:
        others = True
    if not others:
        return
    try:
        tasks.render_stale.apply_async(retry=False)
    except Exception as error:
        logger.warning("Broker unavailable; stale answers wait for the periodic render: %r", error)


def _public_ids(pairs):
    """{kind: {pk}} of the items named by (kind, slug) that are public."""
    slugs = collections.defaultdict(list)
    for kind, slug in pairs:
        slugs[kind].append(slug)
    return {
        kind: set(
            registry.get(kind)
            .model.objects.published()
            .filter(slug__in=names)
            .values_list("pk", flat=True)
        )
        for kind, names in slugs.items()
    }


def _linked_to(pairs):
    """{kind: {pk}} of the items showing any of the (kind, slug) items as related."""
    linked = collections.defaultdict(set)
    by_kind = collections.defaultdict(list)
    for kind, slug in pairs:
        by_kind[kind].append(slug)
    for target_kind, slugs in by_kind.items():
        links = RelatedLink.objects.filter(target_kind=target_kind, target_slug__in=slugs)
        for kind, pk in links.values_list("kind", "object_id"):
            linked[kind].add(pk)
    return linked


def _tags_of(model, ids):
    """{pk: {(relation, tag pk)}} of the items' conditions and topics."""
    tags = collections.defaultdict(set)
    for relation in ("conditions", "topics"):
        through, own, tag = _through(model, relation)
        for pk, tag_pk in through.objects.filter(**{f"{own}__in": ids}).values_list(own, tag):
            tags[pk].add((relation, tag_pk))
    return tags


def _through(model, relation):
    field = model._meta.get_field(relation)
    return (
        field.remote_field.through,
        field.m2m_field_name() + "_id",
        field.m2m_reverse_field_name() + "_id",
    )


def _ranking_with(public):
    """{kind: {pk}} of the items that share at least their `related_floor` tags with one of
    the public items: those may now rank it among their related items."""
    wanted = []
    for kind, ids in public.items():
        wanted += _tags_of(registry.get(kind).model, ids).items()
    if not wanted:
        return {}
    by_relation = collections.defaultdict(set)
    for _pk, tags in wanted:
        for relation, tag_pk in tags:
            by_relation[relation].add(tag_pk)
    ranking = {}
    for kind, content_type in materialised_types().items():
        sharing = collections.defaultdict(set)  # pk: its tags among those wanted
        for relation, tag_pks in by_relation.items():
            through, own, tag = _through(content_type.model, relation)
            rows = through.objects.filter(**{f"{tag}__in": tag_pks}).values_list(own, tag)
            for pk, tag_pk in rows:
                sharing[pk].add((relation, tag_pk))
        shared = {
            pk: max(len(tags & item_tags) for _item, item_tags in wanted)
            for pk, tags in sharing.items()
        }
        floors = Representation.objects.filter(
            kind=kind, object_id__in=list(shared), language=DEFAULT_LANGUAGE
        ).values_list("object_id", "related_floor")
        ranking[kind] = {pk for pk, floor in floors if shared[pk] >= max(floor, 1)}
    return ranking
