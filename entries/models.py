"""What every entry editors write shares, tags and content alike: a version number."""

from django.db import models, router


class VersionedModel(models.Model):
    """
    An entry that counts its saves: editors' `If-Match` and the admin's stale-form check.

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
