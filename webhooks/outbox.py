"""
Record publishing events in the outbox, in the transaction of the change they announce.

Receivers of the content models' own signals, connected once (`connect()`), decide what a
save or delete means to subscribers:

| before the save | after it              | event                                     |
| --------------- | --------------------- | ----------------------------------------- |
| not public      | public                | content.published                         |
| public          | public, same slug     | content.updated                           |
| public          | public, another slug  | content.unpublished (old), content.published (new) |
| public          | not public            | content.unpublished                       |
| anything        | scheduled for later   | content.published, due at that moment     |
| public          | deleted               | content.deleted                           |

A change of an item's conditions or topics, or of its rendering when the glossary re-marks
it, is content.updated, unless an event for it is already waiting. Once the transaction
commits, the relay task is asked to run at once; if the broker does not answer, the next
periodic relay finds the rows anyway.
"""

import logging

from django.db import transaction
from django.db.models import signals
from django.utils import timezone

from content import registry
from content.models import Status
from publishing import changes
from publishing.models import ContentVersion
from webhooks.models import EventType, OutboxEvent

logger = logging.getLogger(__name__)


def connect():
    registry.subscribe(connect_content)
    changes.content_rerendered.connect(record_rerendered, dispatch_uid="webhooks-rerendered")


def connect_content(content_type):
    model = content_type.model
    uid = f"webhooks-{model._meta.label_lower}"
    signals.pre_save.connect(remember_public_state, sender=model, dispatch_uid=uid)
    signals.post_save.connect(record_save, sender=model, dispatch_uid=uid)
    signals.pre_delete.connect(record_delete, sender=model, dispatch_uid=uid)
    for relation in ("conditions", "topics"):
        through = model._meta.get_field(relation).remote_field.through
        signals.m2m_changed.connect(
            record_tags_changed, sender=through, dispatch_uid=f"{uid}-{relation}"
        )


def remember_public_state(sender, instance, **kwargs):
    """Note the slug under which the item was public before this save, if it was."""
    instance._webhook_public_slug = None
    if instance.pk is not None:
        before = sender.objects.published().filter(pk=instance.pk).values_list("slug", flat=True)
        instance._webhook_public_slug = before.first()


def record_save(sender, instance, **kwargs):
    before = instance.__dict__.pop("_webhook_public_slug", None)
    # Read back rather than trust the instance: its dates may still be strings.
    status, published_at = (
        sender.objects.filter(pk=instance.pk).values_list("status", "published_at").get()
    )
    now = timezone.now()
    public = status == Status.PUBLISHED and published_at <= now
    kind = sender.reference_type
    # Whatever was scheduled for this item is superseded by this save.
    OutboxEvent.objects.scheduled_for(kind, instance.pk).delete()
    events = []
    if before and (not public or before != instance.slug):
        events.append(_event(EventType.UNPUBLISHED, instance, slug=before))
    if public:
        same = before == instance.slug
        events.append(_event(EventType.UPDATED if same else EventType.PUBLISHED, instance))
    elif status == Status.PUBLISHED:
        # Fired by the relay at the publish date, with nothing else to run.
        events.append(_event(EventType.PUBLISHED, instance, due_at=published_at))
    _record(events)


def record_delete(sender, instance, **kwargs):
    """Before the delete, while the item's tags can still be read."""
    OutboxEvent.objects.scheduled_for(sender.reference_type, instance.pk).delete()
    if sender.objects.published().filter(pk=instance.pk).exists():
        tags = {
            relation: list(getattr(instance, relation).values_list("slug", flat=True))
            for relation in ("conditions", "topics")
        }
        _record([_event(EventType.DELETED, instance, tags=tags)])


def record_tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # A tag's items changed (from the tag's side): each of them is updated.
        content_model, pks = model, pk_set
        if pks is None:
            return  # post_clear from the tag's side: the items are no longer known
    else:
        content_model, pks = type(instance), [instance.pk]
    _record_updated(content_model, pks)


def record_rerendered(sender, pks, **kwargs):
    _record_updated(sender, pks)


def _record_updated(content_model, pks):
    """content.updated for the public items among `pks` that no event is waiting for yet."""
    kind = content_model.reference_type
    pending = set(
        OutboxEvent.objects.filter(
            content_type=kind, object_id__in=pks, dispatched_at__isnull=True
        ).values_list("object_id", flat=True)
    )
    items = content_model.objects.published().filter(pk__in=pks).exclude(pk__in=pending)
    _record([_event(EventType.UPDATED, item) for item in items.only("pk", "slug")])


def _event(event_type, item, *, slug=None, due_at=None, tags=None):
    return OutboxEvent(
        type=event_type,
        content_type=item.reference_type,
        object_id=item.pk,
        slug=slug or item.slug,
        tags=tags,
        due_at=due_at or timezone.now(),
    )


def _record(events):
    if not events:
        return
    # The editorial receivers ran first (their app comes first), so this is the generation
    # after the change; a scheduled event takes the one current at its publish date.
    generation = ContentVersion.objects.filter(pk=1).values_list("generation", flat=True).first()
    now = timezone.now()
    for event in events:
        if event.due_at <= now:
            event.generation = generation
    OutboxEvent.objects.bulk_create(events)
    transaction.on_commit(relay_soon, robust=True)


def relay_soon():
    """Ask a worker to relay the outbox now; the periodic relay covers a broker outage."""
    from webhooks.tasks import relay_outbox

    try:
        relay_outbox.apply_async(retry=False)
    except Exception as error:
        logger.warning("Broker unavailable; the outbox waits for the periodic relay: %r", error)
