"""
Editors' writes: create, change, move between states and delete entries.

"Entry" is anything editors write and that keeps a history: articles, FAQs, research summaries,
conditions and topics. Each function validates on the model (`full_clean`, as the admin does),
writes in one transaction and records a version naming the actor, so a failed write changes
nothing and a successful one can be undone.

A change is a read-modify-write of the entry as it is when the write commits: the row is
locked and read again, only the fields given are set on it, and a workflow move is checked
against its state then. Two editors changing different fields at once both keep their
change, and an edit racing an archive cannot publish the entry again.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from editorial.changes import content_write_lock
from editorial.history import keep_final_version, record_revision
from editorial.models import Status
from editorial.workflow import MOVES_BY_NAME, check_move


class StaleEntry(Exception):
    """The entry was saved by someone else since the version the write was based on."""

    def __init__(self, entry):
        self.entry = entry
        super().__init__(f"{entry} is at version {entry.version}.")


def _has_workflow(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)


def entry_lock(entry, *, expected_version=None):
    """
    Lock the entry's row and return it as stored; raise StaleEntry if it is not at
    `expected_version` (None: any version).

    The content version is locked first: see editorial/changes.py for why the order matters.
    """
    content_write_lock()
    current = type(entry)._base_manager.select_for_update(no_key=True).filter(pk=entry.pk).first()
    if current is None:
        # Deleted by a write that held the lock while this one waited for it: gone, a 404.
        raise Http404(f"{entry} was deleted.")
    if expected_version is not None and current.version != expected_version:
        raise StaleEntry(current)
    return current


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
    content_write_lock()
    entry = model(**fields)
    if _has_workflow(model):
        check_move(None, entry.status)
    return _save(entry, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_update(*, entry, fields, tags=None, actor, comment="Changed.", expected_version=None):
    """
    Set these fields and tags on the entry as stored now; return it saved.

    A new `status` must be an allowed move from the stored state.
    """
    current = entry_lock(entry, expected_version=expected_version)
    source = current.status if _has_workflow(type(current)) else None
    for name, value in fields.items():
        setattr(current, name, value)
    if "status" in fields:
        check_move(source, fields["status"])
    return _save(current, tags=tags, actor=actor, comment=comment)


@transaction.atomic
def entry_move(*, entry, move, actor, expected_version=None):
    """Make one of the workflow's moves by name, such as "publish", if it is allowed."""
    current = entry_lock(entry, expected_version=expected_version)
    target = MOVES_BY_NAME[move].target
    if current.status == target:
        raise ValidationError({"status": f"The entry is already '{target}'."}, code="no_move")
    check_move(current.status, target)
    comment = f"Moved from '{current.status}' to '{target}'."
    current.status = target
    return _save(current, tags=None, actor=actor, comment=comment)


@transaction.atomic
def entry_delete(*, entry, actor, expected_version=None):
    """Delete an entry, keeping its last version so it can be recovered from the history."""
    current = entry_lock(entry, expected_version=expected_version)
    keep_final_version(current, actor=actor, comment=f"Deleted {current}.")
    current.delete()
