"""
Conditional writes: a record that counts its saves (`VersionedModel`) is changed or deleted
only at the version the editor read, named by `If-Match`; a lost update is a 412, never a
silent overwrite. Entries (tags and content) and the media library's images share it.
"""

from django.db import models, router
from django.utils.http import parse_etags
from rest_framework import exceptions


class VersionedModel(models.Model):
    """
    A record that counts its saves: editors' `If-Match` and the admin's stale-form check.

    Every save of a stored row first adds one to the stored number, in the database, whatever
    the instance held: a restored old version or an instance loaded long ago never brings a
    number back. That includes the raw saves of deserialisation (restoring from the history).
    """

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one with every save."
    )

    class Meta:
        abstract = True

    def save_base(self, *args, **kwargs):
        if self.pk is not None:
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            stored = type(self)._base_manager.using(using).filter(pk=self.pk)
            # The UPDATE holds the row lock to the end of the transaction: the number read
            # back is this save's own.
            if stored.update(version=models.F("version") + 1):
                self.version = stored.values_list("version", flat=True).get()
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save_base(*args, **kwargs)


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The entry has changed since the version named by If-Match."
    default_code = "precondition_failed"


class StaleEntry(Exception):
    """The record was saved by someone else since the version the write was based on."""

    def __init__(self, entry):
        self.entry = entry
        super().__init__(f"{entry} is at version {entry.version}.")


def entry_etag(entry):
    """The record's version as an entity tag: what an editor sends back as If-Match."""
    return f'"v{entry.version}"'


def if_match_version(request, entry):
    """
    Return the version an `If-Match` header holds the write to, None without one.

    Raise PreconditionFailed unless it names the record's current version (or is `*`). A
    weak tag counts too: it is the same version, weakened by compression on the way out.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
    if "*" in tags:
        return None
    if entry_etag(entry) not in tags:
        raise PreconditionFailed(
            f"The entry is at version {entry.version} (ETag {entry_etag(entry)}), not the one "
            "named by If-Match: someone saved it since you read it. Read it again, then "
            "make your change on the current version."
        )
    return entry.version


def stale_write(stale, *, deleting=False):
    """The 412 for a write that found, once it held the row lock, that someone saved first."""
    return PreconditionFailed(
        f"The entry was saved by someone else while this {'delete' if deleting else 'write'} "
        f"was on its way; it is now at version {stale.entry.version}. "
        f"Nothing was {'deleted' if deleting else 'changed'}."
    )


class IfMatchWritesMixin:
    """
    For a viewset of versioned records: a change or delete is held to the version `If-Match`
    names (checked before the body is read, and again under the row lock by the service,
    given `expected_version`); staff answers name the version they show as their ETag.
    """

    # The record read or written, whose version the answer's ETag names.
    entry = None
    # The version an If-Match header holds a write to.
    expected_version = None

    def get_object(self):
        entry = self.entry = super().get_object()
        if self.request.method in {"PUT", "PATCH", "DELETE"}:
            self.expected_version = if_match_version(self.request, entry)
        return entry

    def perform_create(self, serializer):
        self.entry = serializer.save()

    def perform_update(self, serializer):
        try:
            self.entry = serializer.save(expected_version=self.expected_version)
        except StaleEntry as stale:
            raise stale_write(stale) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Editors' answers name the version they show; public ones carry the generation's
        # validators instead (api/conditional.py).
        staff = getattr(request.user, "is_staff", False)
        if self.entry is not None and staff and response.status_code in {200, 201}:
            response["ETag"] = entry_etag(self.entry)
        return response
