"""Filters every content list shares: by condition, by topic, by last change and by search."""

import django_filters

from entries.filters import (
    ClinicalCodeListFilter,
    SearchTextFilter,
    SlugBatchFilter,
    SlugListFilter,
    UpdatedSinceFilter,
)


class PublishableContentFilterSet(django_filters.FilterSet):
    q = SearchTextFilter(
        method="filter_search",
        help_text="Words to search for, as typed. Keeps the matching items, best match first "
        "unless `ordering` is given; ranked as in /api/v1/search/.",
    )
    condition = SlugListFilter(
        method="filter_condition",
        help_text="Condition slugs, comma-separated; items tagged with any of them. "
        "An unknown slug matches nothing.",
    )
    slug = SlugBatchFilter()
    condition_code = ClinicalCodeListFilter(
        method="filter_condition_code",
        help_text="Clinical codes, comma-separated (ICD-10-CM such as F33.2, SNOMED CT concept "
        "ids, MeSH descriptor ids such as D003865): items tagged with a condition carrying any "
        "of them. An unknown code matches nothing.",
    )
    topic = SlugListFilter(
        method="filter_topic",
        help_text="Topic slugs, comma-separated; items tagged with any of them. "
        "An unknown slug matches nothing.",
    )
    updated_since = UpdatedSinceFilter(
        help_text="ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z; items changed at or after it.",
    )

    def filter_queryset(self, queryset):
        # Search last but before ordering, so that ranking sees only what the other filters
        # keep, and an explicit ordering still wins over relevance.
        names = sorted(
            self.form.cleaned_data, key=lambda name: {"q": 1, "ordering": 2}.get(name, 0)
        )
        for name in names:
            queryset = self.filters[name].filter(queryset, self.form.cleaned_data[name])
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_condition(self, queryset, name, value):
        return queryset.for_conditions(value)

    def filter_topic(self, queryset, name, value):
        return queryset.for_topics(value)

    def filter_condition_code(self, queryset, name, value):
        return queryset.for_condition_codes(value)


class PlainLanguageFilterSet(PublishableContentFilterSet):
    """Filters of content measured for readability: articles, FAQs and research summaries."""

    max_grade = django_filters.NumberFilter(
        field_name="reading_grade",
        lookup_expr="lte",
        min_value=-100,
        max_value=100,
        help_text="Items whose Flesch-Kincaid grade is at most this, e.g. 9: easy enough to "
        "read. Items without words are left out.",
    )
    min_grade = django_filters.NumberFilter(
        field_name="reading_grade",
        lookup_expr="gte",
        min_value=-100,
        max_value=100,
        help_text="Items whose Flesch-Kincaid grade is at least this: the hard ones.",
    )
