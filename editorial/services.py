"""
Editors' writes: create, change, move between states and delete entries.

"Entry" is anything editors write and that keeps a history: articles, FAQs, research summaries,
conditions and topics. Each function validates on the model (`full_clean`, as the admin does),
writes in one transaction and records a version naming the actor, so a failed write changes
nothing and a successful one can be undone.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from editorial.history import keep_final_version, record_revision
from editorial.models import Status
from editorial.workflow import MOVES_BY_NAME, check_move


def _has_workflow(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)


def _save(entry, *, tags, actor, comment):
    with reversion.create_revision():
        if _has_workflow(type(entry)) and entry.status == Status.PUBLISHED:
            entry.published_at = entry.published_at or timezone.now()
        entry.full_clean()
        entry.save()
        for name, values in (tags or {}).items():
            getattr(entry, name).set(values)
        record_revision(actor=actor, comment=comment)
    return entry


@transaction.atomic
def entry_create(*, model, fields, tags=None, actor, comment="Created."):
    """Create an entry from field values and its tags ({"conditions": [...], ...})."""
    entry = model(**fields)
    if _has_workflow(model):
        check_move(None, entry.status)
    return _save(entry, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_update(*, entry, fields, tags=None, actor, comment="Changed."):
    """Change an entry's fields and tags; a new `status` must be an allowed move."""
    source = (
        type(entry)
        .objects.select_for_update()
        .values_list("status" if _has_workflow(type(entry)) else "pk", flat=True)
        .get(pk=entry.pk)
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    if "status" in fields:
        check_move(source, fields["status"])
    return _save(entry, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_move(*, entry, move, actor):
    """Make one of the workflow's moves by name, such as "publish", if it is allowed."""
    target = MOVES_BY_NAME[move].target
    if entry.status == target:
        raise ValidationError({"status": f"The entry is already '{target}'."}, code="no_move")
    return entry_update(
        entry=entry,
        fields={"status": target},
        actor=actor,
        comment=f"Moved from '{entry.status}' to '{target}'.",
    )


@transaction.atomic
def entry_delete(*, entry, actor):
    """Delete an entry, keeping its last version so it can be recovered from the history."""
    keep_final_version(entry, actor=actor, comment=f"Deleted {entry}.")
    entry.delete()
