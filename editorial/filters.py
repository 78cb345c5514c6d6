"""Filters every content list shares: by condition, by topic and by last change."""

import django_filters


class SlugListFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated slugs; an item matching any of them is kept."""


class PublishableContentFilterSet(django_filters.FilterSet):
    condition = SlugListFilter(
        method="filter_condition",
        help_text="Condition slugs, comma-separated; items tagged with any of them. "
        "An unknown slug matches nothing.",
    )
    topic = SlugListFilter(
        method="filter_topic",
        help_text="Topic slugs, comma-separated; items tagged with any of them. "
        "An unknown slug matches nothing.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z; items changed at or after it.",
    )

    def filter_condition(self, queryset, name, value):
        return queryset.for_conditions(value)

    def filter_topic(self, queryset, name, value):
        return queryset.for_topics(value)
