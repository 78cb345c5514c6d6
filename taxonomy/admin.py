from django import forms
from django.contrib import admin

from entries.admin import HistoryAdmin
from entries.forms import EntryForm, LinesField
from taxonomy.models import Condition, SafetyNotice, Synonym, Topic


class TagForm(EntryForm):
    other_names = LinesField(help_text='Other words people use, one per line (e.g. "TRD").')


class TagAdmin(HistoryAdmin):
    form = TagForm
    list_display = ["name", "slug", "updated_at"]
    search_fields = ["name", "slug", "other_names"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(TagAdmin):
    list_display = ["name", "slug", "icd10cm", "snomed_ct", "mesh", "updated_at"]
    fields = ["name", "slug", "description", "other_names", "icd10cm", "snomed_ct", "mesh", "image"]


@admin.register(Topic)
class TopicAdmin(TagAdmin):
    fields = ["name", "slug", "description", "other_names"]


@admin.register(SafetyNotice)
class SafetyNoticeAdmin(HistoryAdmin):
    list_display = ["title", "severity", "applies_everywhere", "is_active", "order"]
    list_editable = ["order", "is_active"]
    list_filter = ["severity", "applies_everywhere", "is_active", "conditions"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conditions"]
    fields = [
        "title",
        "slug",
        "body",
        "severity",
        "applies_everywhere",
        "conditions",
        "order",
        "is_active",
    ]


class SynonymForm(forms.ModelForm):
    other_names = LinesField(
        help_text="Words that mean the same as the term, one per line. In English, conditions "
        "and topics already count their own other names."
    )
    sense = LinesField(
        help_text="Only when the search also has one of these words, one per line (for a word "
        'with two meanings: "BP" is bipolar disorder with "mood", blood pressure otherwise). '
        "Empty: always.",
    )


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    form = SynonymForm
    list_display = ["term", "language", "other_names", "direction", "sense", "updated_at"]
    list_filter = ["language", "direction"]
    search_fields = ["term", "other_names"]
    fields = ["term", "language", "other_names", "direction", "sense"]
