from django import forms
from django.core.exceptions import ValidationError

from editorial.models import Status
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


class PublishableContentForm(forms.ModelForm):
    """An entry's form, whose state field offers only the workflow's allowed moves."""

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
