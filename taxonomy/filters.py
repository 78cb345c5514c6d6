import django_filters

from editorial.filters import StableOrderingFilter, UpdatedSinceFilter
from taxonomy.models import Condition, Topic


class TagFilterSet(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        help_text="ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z; tags changed at or after it.",
    )
    ordering = StableOrderingFilter(
        fields=["name", "updated_at"],
        help_text="Sort by name or updated_at; prefix with - for descending. Default: name.",
    )


class ConditionFilterSet(TagFilterSet):
    class Meta:
        model = Condition
        fields = []


class TopicFilterSet(TagFilterSet):
    class Meta:
        model = Topic
        fields = []
