"""The admin's forms of every entry: stale-form checks, and line-per-item fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from reversion.models import Version


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
    lock before validating (entries/admin.py), so a later save by anyone is seen here.
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
