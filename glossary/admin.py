from django.contrib import admin

from editorial.admin import PublishableContentAdmin
from editorial.forms import PublishableContentForm
from entries.forms import LinesField
from glossary.models import GlossaryEntry


class GlossaryEntryForm(PublishableContentForm):
    other_names = LinesField(help_text="Other words for the same thing, one per line.")
    abbreviations = LinesField(help_text="Short forms, one per line, with their exact capitals.")

    class Meta:
        model = GlossaryEntry
        fields = "__all__"


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(PublishableContentAdmin):
    form = GlossaryEntryForm
    list_display = ["term", "definition", "status", "last_reviewed"]
    search_fields = ["term", "definition", "slug"]
    prepopulated_fields = {"slug": ["term"]}
    fieldsets = [
        (None, {"fields": ["term", "slug", "definition", "other_names", "abbreviations"]}),
        ("More", {"fields": ["explanation"]}),
        ("Tags", {"fields": ["conditions", "topics"]}),
        PublishableContentAdmin.review_fieldset,
        PublishableContentAdmin.publishing_fieldset,
    ]
