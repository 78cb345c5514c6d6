"""
The mobile app's offline sync: every public item in pages, then only what changed.

A sync starts without a cursor. Its first pages list the items public at the start, by type
and primary key; the cursor remembers where the listing stands and the change log position
read *before* the listing began. Once the listing is done, pages replay the change log from
that position: an edit saved while the client was paging lands after it, so it is sent
again rather than missed.

Replaying, several entries for one item collapse into one change, decided by the item's
state now: an `upsert` with its detail representation if it is public and in the scope, a
`remove` otherwise. The log holds only items that were public at some point (see
editorial/signals.py), so no draft's slug is ever sent.

Log entries become visible in sequence order (publishing/changes.py explains why), so a
cursor can safely move up to the highest sequence number read before the entries were.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Max

from apibase.languages import DEFAULT_LANGUAGE, LANGUAGE_PARAMETER
from apibase.problems import SyncRestartRequired
from content import registry
from entries.references import related_content_of_many
from publishing.models import ChangeLogEntry
from taxonomy.models import SafetyNoticeIndex

# Every registered content type is synced (content/registry.py), in the order of the listing;
# an upsert carries its detail representation.
SIGNER = signing.Signer(salt="api.sync.cursor")
CURSOR_VERSION = 1


@dataclass(frozen=True)
class Scope:
    """
    What a client mirrors: some types, optionally only items of some conditions, in one
    language.
    """

    types: tuple
    conditions: tuple = ()
    language: str = DEFAULT_LANGUAGE

    @classmethod
    def from_parameters(cls, types=None, conditions=None, language=DEFAULT_LANGUAGE):
        types = tuple(kind for kind in registry.type_names() if not types or kind in types)
        conditions = tuple(sorted(set(conditions or ())))
        return cls(types=types, conditions=conditions, language=language)


@dataclass(frozen=True)
class Cursor:
    """Where a client stands: a change log position, and its place in the first listing."""

    scope: Scope
    seq: int
    # (type name, last primary key sent) while the first listing goes on; then None.
    listing: tuple | None = None

    def encode(self):
        # No timestamp: a client that polls and gets 304s keeps its cursor for as long as the
        # change log covers it (`prune_change_log`), not for a fixed time.
        return SIGNER.sign_object(
            {
                "v": CURSOR_VERSION,
                "t": list(self.scope.types),
                "c": list(self.scope.conditions),
                "g": self.scope.language,
                "s": self.seq,
                "l": list(self.listing) if self.listing else None,
            },
            compress=True,
        )

    @classmethod
    def decode(cls, raw, scope, pruned_through):
        """Read a cursor given back by a client; anything amiss asks it to start over."""
        try:
            data = SIGNER.unsign_object(raw)
            cursor = cls(
                scope=Scope(
                    types=tuple(data["t"]),
                    conditions=tuple(data["c"]),
                    # Cursors issued before sync had languages are English ones.
                    language=str(data.get("g", DEFAULT_LANGUAGE)),
                ),
                seq=int(data["s"]),
                listing=(str(data["l"][0]), int(data["l"][1])) if data["l"] else None,
            )
            if data["v"] != CURSOR_VERSION:
                raise ValueError(data["v"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
            raise SyncRestartRequired("The cursor is not one this server issued.") from None
        if cursor.scope != scope:
            raise SyncRestartRequired(
                "The cursor belongs to a sync of another scope: send the same type, "
                "condition and lang parameters with every request of a sync."
            )
        if cursor.seq < pruned_through:
            raise SyncRestartRequired("The cursor is older than the change log kept.")
        return cursor


def sync_page(*, scope, cursor, limit, request):
    """Return one page of changes: {"changes", "cursor", "has_more"}."""
    if cursor is None:
        cursor = Cursor(scope=scope, seq=_last_seq(), listing=(scope.types[0], 0))
    page = _Page(scope, request)
    if cursor.listing:
        listing = page.list_public(cursor.listing, limit)
        following = Cursor(scope=scope, seq=cursor.seq, listing=listing)
        has_more = listing is not None or _changed_since(scope, cursor.seq)
    else:
        last = _last_seq()
        entries = list(
            ChangeLogEntry.objects.filter(
                seq__gt=cursor.seq, seq__lte=last, content_type__in=scope.types
            ).values_list("seq", "content_type", "slug")[: limit + 1]
        )
        has_more = len(entries) > limit
        entries = entries[:limit]
        page.replay(entries)
        following = Cursor(scope=scope, seq=entries[-1][0] if has_more else last)
    return {"changes": page.serialize(), "cursor": following.encode(), "has_more": has_more}


def _last_seq():
    return ChangeLogEntry.objects.aggregate(last=Max("seq"))["last"] or 0


def _changed_since(scope, seq):
    return ChangeLogEntry.objects.filter(seq__gt=seq, content_type__in=scope.types).exists()


class _Page:
    def __init__(self, scope, request):
        self.scope = scope
        self.changes = []
        # The request makes the JSON-LD's addresses absolute.
        self.context = {
            "request": request,
            "safety_notices": SafetyNoticeIndex(),
            LANGUAGE_PARAMETER: scope.language,
        }

    def public(self, kind):
        # Each item in the scope's language, or in English where it has no published
        # translation, as its detail gives it.
        queryset = (
            registry.get(kind)
            .model.objects.published()
            .with_tags()
            .with_review()
            .in_language(self.scope.language)
        )
        if self.scope.conditions:
            queryset = queryset.for_conditions(self.scope.conditions)
        return queryset

    def list_public(self, listing, limit):
        """Add public items after `listing`; return where the listing stands, None at its end."""
        start, after = listing
        for kind in self.scope.types[self.scope.types.index(start) :]:
            room = limit - len(self.changes)
            if room == 0:
                return (kind, 0)
            items = list(self.public(kind).filter(pk__gt=after).order_by("pk")[: room + 1])
            for item in items[:room]:
                self.upsert(kind, item)
            if len(items) > room:
                return (kind, items[room - 1].pk)
            after = 0
        return None

    def replay(self, entries):
        """Add one change per item in the entries, in the order of its last entry."""
        latest = {}
        for _seq, kind, slug in entries:
            latest.pop((kind, slug), None)
            latest[(kind, slug)] = True
        current = {}
        for kind in self.scope.types:
            slugs = [slug for entry_kind, slug in latest if entry_kind == kind]
            if slugs:
                for item in self.public(kind).filter(slug__in=slugs):
                    current[(kind, item.slug)] = item
        for kind, slug in latest:
            item = current.get((kind, slug))
            if item is None:
                self.changes.append(
                    {"type": kind, "slug": slug, "action": ChangeLogEntry.Action.REMOVE}
                )
            else:
                self.upsert(kind, item)

    def upsert(self, kind, item):
        self.changes.append(
            {
                "type": kind,
                "slug": item.slug,
                "action": ChangeLogEntry.Action.UPSERT,
                "item": item,
            }
        )

    def serialize(self):
        """Return the changes with each upserted item as its detail, related content and all."""
        items = [change["item"] for change in self.changes if "item" in change]
        # Related content of the whole page at once: a query per hundred items, not per item.
        language = self.context.get(LANGUAGE_PARAMETER, DEFAULT_LANGUAGE)
        related = related_content_of_many(items, language=language)
        context = {**self.context, "related_content": related}
        return [
            {**change, "item": _detail(change, context)} if "item" in change else change
            for change in self.changes
        ]


def _detail(change, context):
    serializer = registry.get(change["type"]).detail_serializer
    return serializer(change["item"], context=context).data
