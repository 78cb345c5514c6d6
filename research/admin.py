from django import forms
from django.contrib import admin

from editorial.admin import PublishableContentAdmin, ReadabilityAdminMixin, condition_names
from editorial.forms import PublishableContentForm
from entries.forms import LinesField
from research.models import CITATION_FIELDS, STUDY_FIELDS, SUMMARY_FIELDS, ResearchSummary


class ResearchSummaryForm(PublishableContentForm):
    key_findings = LinesField(help_text="One finding per line.")
    url = forms.URLField(label="Source URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = ResearchSummary
        fields = "__all__"


@admin.register(ResearchSummary)
class ResearchSummaryAdmin(ReadabilityAdminMixin, PublishableContentAdmin):
    form = ResearchSummaryForm
    list_display = [
        "title",
        "study_design",
        "evidence_level",
        "year",
        "status",
        condition_names,
        "last_reviewed",
    ]
    list_filter = ["study_design", "evidence_level", *PublishableContentAdmin.list_filter]
    search_fields = ["title", "summary", "citation_title", "citation_authors", "doi", "pmid"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", *SUMMARY_FIELDS]}),
        ReadabilityAdminMixin.readability_fieldset,
        ("Study", {"fields": STUDY_FIELDS}),
        ("Citation", {"fields": CITATION_FIELDS}),
        ("Tags", {"fields": ["conditions", "topics"]}),
        PublishableContentAdmin.translations_fieldset,
        PublishableContentAdmin.review_fieldset,
        PublishableContentAdmin.publishing_fieldset,
    ]
