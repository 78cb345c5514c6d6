"""The admin's editor form of content: workflow moves, and publishing only what is signed off."""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance

from content.models import Status
from editorial.services import check_publishable
from editorial.workflow import INITIAL_STATES, allowed_targets, check_move
from entries.forms import EntryForm


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
