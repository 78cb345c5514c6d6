"""
Keep the content generation and the change log in step with the content.

Each function takes the row lock of `ContentVersion` first, with an UPDATE, and holds it
until its transaction ends: content-changing transactions therefore take turns, and change
log entries become visible in the order of their sequence numbers. The sync endpoint relies
on that order (see api/sync.py).

Editors' writes take that lock before any other (`content_write_lock()`), so locks are always
taken in one order: the content version, then entry rows. A write that locked its entry first
and then waited for the content version, while another held the content version and waited
for that entry (a foreign key check on a tag, say), would deadlock.
"""

import datetime
import functools
from typing import NamedTuple

from django.db import connections, transaction
from django.db.models import DateTimeField, F, Min, Q, Value
from django.db.models.functions import Greatest
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from content import registry
from publishing.models import ChangeLogEntry, ContentVersion, whole_second

ONE_SECOND = datetime.timedelta(seconds=1)

# Sent when this process moves the generation on or schedules a publish, and again when that
# is committed: whoever keeps the content version in memory (api.public_answers) drops it.
content_version_moved = Signal()
# Sent, in the transaction, with the (type name, slug) pairs that a scheduled publish has just
# made public: the glossary re-marks content when an entry of its own is among them.
scheduled_published = Signal()
# Sent, in the transaction, by a content model with the pks of its public items whose rendering
# changed with no save of theirs (the glossary re-marked them): webhooks announce them updated.
content_rerendered = Signal()
# Sent, in the transaction, by content_changed() with the (type name, slug) pairs it logged:
# representations.marking marks the answers they alter.
public_items_changed = Signal()


def content_version_get():
    """
    Return the current content version, first publishing what was scheduled for by now.

    The publish "tick" runs in the one request that wins a conditional UPDATE; the others
    wait for it (on PostgreSQL) and read its result.
    """
    version = _read_version()
    if version is None:
        version, _ = ContentVersion.objects.get_or_create(pk=1)
    due = version.next_scheduled_at
    if due is not None and due <= timezone.now():
        _publish_scheduled(due=due)
        version = ContentVersion.objects.get(pk=1)
    return version


class VersionRow(NamedTuple):
    generation: int
    changed_at: datetime.datetime
    next_scheduled_at: datetime.datetime | None
    pruned_through: int


@functools.cache
def _version_sql(vendor):
    quote = connections[ContentVersion.objects.db].ops.quote_name
    # Built from the model's own names only, never from input.
    return (
        f"SELECT {', '.join(quote(name) for name in VersionRow._fields)} "  # noqa: S608
        f"FROM {quote(ContentVersion._meta.db_table)} WHERE {quote('id')} = 1"
    )


def _read_version():
    """Read the row with plain SQL: every public request does, and the ORM's query
    compilation would cost more than the query itself."""
    connection = connections[ContentVersion.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor))
        row = cursor.fetchone()
    if row is None:
        return None
    generation, changed_at, next_scheduled_at, pruned_through = row
    return VersionRow(
        generation,
        _as_aware_datetime(changed_at),
        _as_aware_datetime(next_scheduled_at),
        pruned_through,
    )


def _as_aware_datetime(value):
    # PostgreSQL hands back aware datetimes; SQLite hands back text, in UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def content_changed(*, upserts=(), removes=()):
    """
    Record a change to public content: a new generation and change log entries.

    `upserts` and `removes` are (type name, slug) pairs of items that are public after the
    change, and of items that were public and no longer are (or no longer under that slug).
    """
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        _next_generation(now)
        ChangeLogEntry.objects.bulk_create(
            [
                ChangeLogEntry(content_type=kind, slug=slug, action=action, created_at=now)
                for action, pairs in (
                    (ChangeLogEntry.Action.REMOVE, removes),
                    (ChangeLogEntry.Action.UPSERT, upserts),
                )
                for kind, slug in dict.fromkeys(pairs)
            ]
        )
        if upserts or removes:
            public_items_changed.send(
                sender=ContentVersion, upserts=list(upserts), removes=list(removes)
            )


def content_write_lock():
    """Take the content version's row lock, as the first lock of an editor's write."""
    locked = ContentVersion.objects.select_for_update().filter(pk=1).values_list("pk")
    if not locked:
        ContentVersion.objects.get_or_create(pk=1)
        list(locked.all())


def content_scheduled(*, published_at):
    """Remember that an item becomes public at `published_at`, if that is the earliest."""
    ContentVersion.objects.filter(
        Q(next_scheduled_at__isnull=True) | Q(next_scheduled_at__gt=published_at), pk=1
    ).update(next_scheduled_at=published_at)
    _announce_move()


def change_log_prune(*, before):
    """Delete change log entries older than `before`; return how many went."""
    with transaction.atomic():
        _next_generation(timezone.now())
        last = (
            ChangeLogEntry.objects.filter(created_at__lt=before)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        if last is None:
            return 0
        deleted, _ = ChangeLogEntry.objects.filter(seq__lte=last).delete()
        # A cursor older than this has missed entries: the sync endpoint sends it back.
        ContentVersion.objects.filter(pk=1).update(pruned_through=last)
        return deleted


def _next_generation(now):
    """Take the row lock and move to a new generation, in one UPDATE."""
    # Last-Modified has whole seconds: two generations must never share one, or a client
    # holding the older one would be told its copy is current. During a burst of saves,
    # changed_at may run a few seconds ahead of the clock (Last-Modified never does).
    bump = ContentVersion.objects.filter(pk=1)
    values = {
        "generation": F("generation") + 1,
        "changed_at": Greatest(
            Value(whole_second(now), output_field=DateTimeField()), F("changed_at") + ONE_SECOND
        ),
    }
    if not bump.update(**values):
        ContentVersion.objects.get_or_create(pk=1)
        bump.update(**values)
    _announce_move()


def _announce_move():
    # Before the commit too: this process's own next request must not see the old version.
    content_version_moved.send(sender=ContentVersion)
    transaction.on_commit(lambda: content_version_moved.send(sender=ContentVersion))


def _publish_scheduled(*, due):
    now = timezone.now()
    with transaction.atomic():
        won = ContentVersion.objects.filter(pk=1, next_scheduled_at=due).update(
            next_scheduled_at=None
        )
        if not won:
            return
        upserts = [
            (model.reference_type, slug)
            for model in registry.models()
            for slug in model.objects.published()
            .filter(published_at__gte=due)
            .values_list("slug", flat=True)
        ]
        if upserts:
            content_changed(upserts=upserts)
            scheduled_published.send(sender=ContentVersion, upserts=upserts)
        later = [
            model.objects.scheduled_after(now).aggregate(first=Min("published_at"))["first"]
            for model in registry.models()
        ]
        later = [moment for moment in later if moment is not None]
        if later:
            content_scheduled(published_at=min(later))
