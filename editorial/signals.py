"""
Keep the content generation and the change log in step with every save and delete.

Only changes that touch public content count. An item that was never public is never
logged, so a draft's slug cannot leak through the sync endpoint's tombstones. The log marks
which items changed; the sync endpoint reads their state when it replays the log, so an
entry written before the change it announces (as in pre_delete) is as good as one after.

Bulk `QuerySet.update()` sends no signals: content changed that way is not seen here.
"""

from django.db.models import signals

from content import registry
from content.models import Status
from images.models import Image
from images.rendering import published_entries_changed
from publishing import changes
from publishing.kinds import translated_model
from publishing.models import SlugRedirect, Translation
from taxonomy.models import Condition, SafetyNotice, Topic


def connect():
    registry.subscribe(connect_content)
    for model in (Condition, Topic):
        signals.post_save.connect(tag_changed, sender=model)
        signals.pre_delete.connect(tag_changed, sender=model)
    signals.post_save.connect(translation_changed, sender=Translation)
    signals.post_delete.connect(translation_changed, sender=Translation)
    signals.pre_save.connect(remember_notice_scope, sender=SafetyNotice)
    signals.post_save.connect(notice_changed, sender=SafetyNotice)
    signals.pre_delete.connect(notice_changed, sender=SafetyNotice)
    signals.m2m_changed.connect(notice_conditions_changed, sender=SafetyNotice.conditions.through)


def connect_content(content_type):
    model = content_type.model
    signals.pre_save.connect(remember_public_slug, sender=model)
    signals.post_save.connect(content_saved, sender=model)
    signals.post_delete.connect(content_deleted, sender=model)
    for relation in ("conditions", "topics"):
        through = model._meta.get_field(relation).remote_field.through
        signals.m2m_changed.connect(content_tags_changed, sender=through)


def remember_public_slug(sender, instance, **kwargs):
    """Note the slug under which the item was public before this save, if it was."""
    instance._public_slug_before = None
    if instance.pk is None:
        return
    before = sender.objects.published().filter(pk=instance.pk).values_list("slug", flat=True)
    instance._public_slug_before = before.first()


def content_saved(sender, instance, **kwargs):
    before = instance.__dict__.pop("_public_slug_before", None)
    # Read back rather than trust the instance: its dates may still be strings.
    saved = sender.objects.filter(pk=instance.pk)
    public = saved.published().exists()
    upserts, removes = [], []
    if before and before != instance.slug:
        removes.append((sender.reference_type, before))
    if public:
        upserts.append((sender.reference_type, instance.slug))
    elif before == instance.slug:
        removes.append((sender.reference_type, instance.slug))
    if before and before != instance.slug:
        # Links to the old address keep working: it answers 301 to the new one.
        SlugRedirect.objects.update_or_create(
            kind=sender.reference_type, old_slug=before, defaults={"object_id": instance.pk}
        )
    if public and (before != instance.slug or kwargs.get("created")):
        # An entry public under a slug is its address again: no redirect takes it elsewhere.
        SlugRedirect.objects.filter(kind=sender.reference_type, old_slug=instance.slug).delete()
    if upserts or removes:
        changes.content_changed(upserts=upserts, removes=removes)
    if not public and instance.status == Status.PUBLISHED:
        changes.content_scheduled(published_at=saved.values_list("published_at", flat=True)[0])


def content_deleted(sender, instance, **kwargs):
    # The row is gone: the instance, as loaded before the delete, is all there is.
    Translation.objects.filter(kind=sender.reference_type, object_id=instance.pk).delete()
    if instance.is_public:
        changes.content_changed(removes=[(sender.reference_type, instance.slug)])


def content_tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Log the public items whose conditions or topics changed, from either side."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        content_model, pks = type(instance), [instance.pk]
    else:
        content_model = model
        if pk_set is None:  # pre_clear: everything tagged with the tag
            relation = _relation_through(content_model, sender)
            pks = content_model.objects.filter(**{relation: instance}).values("pk")
        else:
            pks = pk_set
    slugs = content_model.objects.published().filter(pk__in=pks).values_list("slug", flat=True)
    upserts = [(content_model.reference_type, slug) for slug in slugs]
    if upserts:
        changes.content_changed(upserts=upserts)


def tag_changed(sender, instance, **kwargs):
    """A condition or topic shows in lists and inside items: log every public item with it."""
    relation = "conditions" if sender is Condition else "topics"
    changes.content_changed(upserts=_public_items(**{relation: instance}))


def translation_changed(sender, instance, **kwargs):
    """
    A translation's state is part of its public entry's answers in every language; a tag's,
    notice's or image's, of the answers of the items that show it.
    """
    if instance.kind not in registry.type_names():
        model = translated_model(instance.kind)
        shown = model._base_manager.filter(pk=instance.object_id).first()
        if model in (Condition, Topic) and shown is not None:
            tag_changed(model, shown)
        elif model is SafetyNotice and shown is not None:
            notice_changed(model, shown)
        elif model is Image and shown is not None:
            published_entries_changed(shown)
        return
    model = registry.get(instance.kind).model
    slug = model.objects.published().filter(pk=instance.object_id).values_list("slug", flat=True)
    if slug:
        changes.content_changed(upserts=[(instance.kind, slug[0])])


def remember_notice_scope(sender, instance, **kwargs):
    instance._applied_everywhere = bool(
        instance.pk and sender.objects.filter(pk=instance.pk, applies_everywhere=True).exists()
    )


def notice_changed(sender, instance, **kwargs):
    """A safety notice shows inside the details of the items it applies to."""
    everywhere = instance.__dict__.pop("_applied_everywhere", False)
    if everywhere or instance.applies_everywhere:
        upserts = _public_items()
    else:
        upserts = _public_items(conditions__in=instance.conditions.all())
    changes.content_changed(upserts=upserts)


def notice_conditions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if reverse:
        conditions = [instance.pk]
    else:
        conditions = pk_set if pk_set is not None else instance.conditions.all()
    changes.content_changed(upserts=_public_items(conditions__in=conditions))


def _public_items(**lookups):
    """Return (type name, slug) of every public item matching the lookups."""
    return [
        (model.reference_type, slug)
        for model in registry.models()
        for slug in model.objects.published().filter(**lookups).values_list("slug", flat=True)
    ]


def _relation_through(content_model, through):
    for name in ("conditions", "topics"):
        if content_model._meta.get_field(name).remote_field.through is through:
            return name
    raise LookupError(f"{content_model.__name__} has no relation through {through.__name__}.")
