from content.filters import PublishableContentFilterSet
from entries.filters import StableOrderingFilter
from glossary.models import GlossaryEntry


class GlossaryEntryFilterSet(PublishableContentFilterSet):
    ordering = StableOrderingFilter(
        fields=["term", "published_at", "updated_at"],
        help_text="Sort by one or more of these fields; prefix with - for descending. "
        "Default: term, alphabetically.",
    )

    class Meta:
        model = GlossaryEntry
        fields = []
