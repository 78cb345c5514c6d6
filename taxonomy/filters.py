import django_filters

from entries.filters import (
    ClinicalCodeListFilter,
    SlugBatchFilter,
    StableOrderingFilter,
    UpdatedSinceFilter,
)
from taxonomy.models import CODE_FIELDS, Condition, Topic


class TagFilterSet(django_filters.FilterSet):
    slug = SlugBatchFilter()
    updated_since = UpdatedSinceFilter(
        help_text="ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z; tags changed at or after it.",
    )
    ordering = StableOrderingFilter(
        fields=["name", "updated_at"],
        help_text="Sort by name or updated_at; prefix with - for descending. Default: name.",
    )


class ConditionFilterSet(TagFilterSet):
    code = ClinicalCodeListFilter(
        method="filter_code",
        help_text="Clinical codes, comma-separated, e.g. F33.2 (ICD-10-CM), a SNOMED CT "
        "concept id or a MeSH descriptor id such as D003865: the conditions carrying any of "
        "them, in the `code_system` given or in any. Case does not matter.",
    )
    code_system = django_filters.ChoiceFilter(
        choices=[(name, name) for name in CODE_FIELDS],
        method="filter_code_system",
        help_text="icd10cm, snomed or mesh: with `code`, match codes in this system only; "
        "alone, the conditions that carry a code in it.",
    )

    def filter_code(self, queryset, name, value):
        return queryset.with_codes(value, self.form.cleaned_data.get("code_system") or None)

    def filter_code_system(self, queryset, name, value):
        # With `code`, the system narrows the codes matched (filter_code).
        return queryset if self.form.cleaned_data.get("code") else queryset.in_system(value)

    class Meta:
        model = Condition
        fields = []


class TopicFilterSet(TagFilterSet):
    class Meta:
        model = Topic
        fields = []
