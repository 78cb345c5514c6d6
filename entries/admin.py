"""
The admin of every entry, tags and content alike: history, comparison and restore of versions,
recoverable deletes, and saves that never overwrite a later one.
"""

import contextlib

from django.db import router, transaction
from reversion_compare.admin import CompareVersionAdmin

from entries.forms import EntryForm
from entries.history import keep_final_version
from entries.writing import entry_lock
from publishing.changes import content_write_lock


class HistoryAdmin(CompareVersionAdmin):
    """
    History, comparison and restore of versions (django-reversion), recoverable deletes, and
    saves that never overwrite one made after the form was opened.

    A change form posts back the version it was opened at (`EntryForm.seen_version`). The
    entry is read again under its row lock before the form is validated, so the check sees
    every save committed before, and none can commit between the check and the save.
    """

    form = EntryForm
    history_latest_first = True

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or "seen_version" not in self.form.base_fields:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        using = router.db_for_write(self.model)
        # The change and delete views run in a transaction: lock, then read the entry again.
        if (
            obj is not None
            and request.method == "POST"
            and transaction.get_connection(using).in_atomic_block
        ):
            entry_lock(obj)
            obj = super().get_object(request, object_id, from_field)
        return obj

    def revision_view(self, request, *args, **kwargs):
        with self._locked_for_writes(request):
            return super().revision_view(request, *args, **kwargs)

    def recover_view(self, request, *args, **kwargs):
        with self._locked_for_writes(request):
            return super().recover_view(request, *args, **kwargs)

    @contextlib.contextmanager
    def _locked_for_writes(self, request):
        """Restoring and recovering write the entry before its form is validated: take the
        content version's lock first, as every write does."""
        if request.method != "POST":
            yield
            return
        with transaction.atomic(using=router.db_for_write(self.model)):
            content_write_lock()
            yield

    def save_model(self, request, obj, form, change):
        if change and "seen_version" not in form.fields:
            # A row of the changelist's editable columns: set only the columns edited there
            # on the entry as it is now, rather than save the whole row read with the page.
            current = entry_lock(obj)
            for name in form.changed_data:
                setattr(current, name, form.cleaned_data[name])
            current.save()
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        keep_final_version(obj, actor=request.user, comment=f"Deleted {obj} in the admin.")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        content_write_lock()
        for obj in queryset:
            keep_final_version(obj, actor=request.user, comment=f"Deleted {obj} in the admin.")
        super().delete_queryset(request, queryset)
