"""The admin's editor forms: workflow moves, stale-form checks and line-per-item fields."""

import copy

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.utils import timezone
from reversion.models import Version

from content.models import Status
from editorial.services import check_publishable
from editorial.workflow import INITIAL_STATES, allowed_targets, check_move


class LinesField(forms.CharField):
    """Edit a JSON list of strings as one entry per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class EntryForm(forms.ModelForm):
    """
    An entry's form that refuses to overwrite a save made after it was opened.

    It carries the version it was opened at; the admin reads the entry again under its row
    lock before validating (editorial/admin.py), so a later save by anyone is seen here.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_version")
        if self.instance.pk is not None and seen != self.instance.version:
            raise ValidationError(
                "%(who)s saved this entry at %(when)s, after you opened it. Your changes were "
                "not saved, so as not to overwrite theirs: open the entry again to see them, "
                "then make your changes once more.",
                code="stale_form",
                params=last_saved_by(self.instance),
            )
        return cleaned_data


def last_saved_by(entry):
    """Who saved the entry last and when, from its history: {"who": ..., "when": ...}."""
    version = (
        Version.objects.get_for_object(entry)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    user = version.revision.user if version is not None else None
    moment = version.revision.date_created if version is not None else entry.updated_at
    return {
        "who": (user.get_full_name() or user.get_username()) if user else "Someone else",
        "when": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


class PublishableContentForm(EntryForm):
    """
    An entry's form, whose state field offers only the workflow's allowed moves, and
    publishes only what a medical reviewer signed off, for those allowed to publish.
    """

    # The user saving: the admin sets it (PublishableContentAdmin.get_form).
    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" not in self.fields:
            return
        current = self._stored_status()
        states = INITIAL_STATES if current is None else [current, *allowed_targets(current)]
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in states
        ]
        self.fields[
            "status"
        ].help_text = (
            "The moves allowed from here. Publishing with a future date schedules the entry."
        )

    def _stored_status(self):
        if self.instance.pk is None:
            return None
        stored = (
            type(self.instance).objects.filter(pk=self.instance.pk).values_list("status", flat=True)
        )
        return stored.first()

    def clean_status(self):
        status = self.cleaned_data["status"]
        try:
            check_move(self._stored_status(), status)
        except ValidationError as error:
            raise ValidationError(error.message_dict["status"]) from None
        return status

    def clean(self):
        cleaned_data = super().clean()
        if (
            self._stored_status() == Status.PUBLISHED
            or cleaned_data.get("status") != Status.PUBLISHED
        ):
            return cleaned_data
        # Judged on the text as this form would save it: a copy of the entry with its values.
        entry = construct_instance(self, copy.copy(self.instance), fields=list(cleaned_data))
        entry.note_text_change(self.actor)
        try:
            check_publishable(entry, actor=self.actor)
        except PermissionDenied as error:
            self.add_error("status", str(error))
        except ValidationError as error:
            self.add_error("status", error.message_dict["status"])
        return cleaned_data
