"""Versions of every entry, kept with django-reversion: who changed what, and when."""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.utils import timezone
from reversion.models import Revision, Version

from entries.orm_internals import reversion_options


def keep_final_version(entry, *, actor, comment):
    """
    Save a version of `entry` in a revision of its own, before it is deleted.

    django-reversion saves a revision when its block ends and drops the versions of objects
    that no longer exist by then, so a deletion inside a revision would leave nothing to
    recover. This one is committed at once, whatever revision is open around it.
    """
    revision = Revision.objects.create(
        date_created=timezone.now(), user=_user_or_none(actor), comment=comment
    )
    options = reversion_options(type(entry))
    Version.objects.create(
        revision=revision,
        content_type=ContentType.objects.get_for_model(entry),
        object_id=str(entry.pk),
        db=entry._state.db or "default",
        format=options.format,
        serialized_data=serializers.serialize(options.format, [entry], fields=options.fields),
        object_repr=str(entry)[:191],
    )
    return revision


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def record_revision(*, actor, comment):
    """Name who made the changes of the open revision, and why."""
    reversion.set_user(_user_or_none(actor))
    reversion.set_comment(comment)
