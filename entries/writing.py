"""
How entries are written: the row lock every write takes, and the services that write them.

An entry's create, change and delete are the editorial app's services (editorial/services.py):
they check the workflow and the medical sign-off, record a version and log the change. The
write serializer and viewset that call them are here, below editorial, so editorial plugs its
services in from `EditorialConfig.ready()` (`plug_in()`) rather than being imported.
"""

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from apibase.preconditions import StaleEntry
from publishing.changes import content_write_lock

_SERVICES = {}


def entry_lock(entry, *, expected_version=None):
    """
    Lock the entry's row and return it as stored; raise StaleEntry if it is not at
    `expected_version` (None: any version).

    The content version is locked first: see publishing/changes.py for why the order matters.
    """
    content_write_lock()
    current = type(entry)._base_manager.select_for_update(no_key=True).filter(pk=entry.pk).first()
    if current is None:
        # Deleted by a write that held the lock while this one waited for it: gone, a 404.
        raise Http404(f"{entry} was deleted.")
    if expected_version is not None and current.version != expected_version:
        raise StaleEntry(current)
    return current


def plug_in(*, create, update, delete):
    """Write entries with these functions from now on (editorial.services.plug_in())."""
    _SERVICES.update(create=create, update=update, delete=delete)


def _service(name):
    try:
        return _SERVICES[name]
    except KeyError:
        raise ImproperlyConfigured(
            "No services write entries: the editorial app plugs them in when it is ready."
        ) from None


def entry_create(*, model, fields, tags=None, actor, comment):
    """Create an entry from field values and its tags ({"conditions": [...], ...})."""
    return _service("create")(model=model, fields=fields, tags=tags, actor=actor, comment=comment)


def entry_update(*, entry, fields, tags=None, actor, comment, expected_version=None):
    """Set these fields and tags on the entry as stored now; return it saved."""
    return _service("update")(
        entry=entry,
        fields=fields,
        tags=tags,
        actor=actor,
        comment=comment,
        expected_version=expected_version,
    )


def entry_delete(*, entry, actor, expected_version=None):
    """Delete an entry, keeping its last version so it can be recovered from the history."""
    return _service("delete")(entry=entry, actor=actor, expected_version=expected_version)
