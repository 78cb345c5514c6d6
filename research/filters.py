import django_filters
from django import forms

from content.filters import PlainLanguageFilterSet
from entries.filters import ChoiceListFilter, StableOrderingFilter
from research.models import EvidenceLevel, ResearchSummary, StudyDesign


class YearFilter(django_filters.NumberFilter):
    """A whole year; "2000.5" is refused, where a decimal would be silently cut to 2000."""

    field_class = forms.IntegerField


class ResearchSummaryFilterSet(PlainLanguageFilterSet):
    study_design = ChoiceListFilter(
        choices=StudyDesign.choices, help_text="Study designs, comma-separated."
    )
    evidence_level = ChoiceListFilter(
        choices=EvidenceLevel.choices,
        help_text="Oxford CEBM 2011 levels (1 to 5), comma-separated.",
    )
    year_min = YearFilter(
        field_name="year",
        lookup_expr="gte",
        min_value=1,
        max_value=9999,
        help_text="Published in this year or later.",
    )
    year_max = YearFilter(
        field_name="year",
        lookup_expr="lte",
        min_value=1,
        max_value=9999,
        help_text="Published in this year or earlier.",
    )
    ordering = StableOrderingFilter(
        fields=["published_at", "updated_at", "year", "title", "evidence_level", "reading_grade"],
        help_text="Sort by one or more of these fields; prefix with - for descending. "
        "Default: -published_at.",
    )

    class Meta:
        model = ResearchSummary
        fields = []
