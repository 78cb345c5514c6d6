from drf_spectacular.utils import extend_schema, extend_schema_view

from content.views import PublishableContentViewSet
from entries.views import write_operations
from glossary.filters import GlossaryEntryFilterSet
from glossary.models import GlossaryEntry
from glossary.serializers import (
    GlossaryEntryDetailSerializer,
    GlossaryEntrySerializer,
    GlossaryEntryWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List glossary entries",
        description="Published medical terms with their plain-language definitions, "
        "alphabetically. Staff with change permission see every state.",
    ),
    retrieve=extend_schema(
        summary="Get a glossary entry",
        description="The term, its other names and abbreviations, its definition, the longer "
        "explanation if it has one, the medical review, related items and its schema.org "
        "JSON-LD (DefinedTerm in the glossary's DefinedTermSet). Terms are marked in the "
        'bodies of other content with `data-glossary="<slug>"`: this is where that slug leads.',
    ),
    **write_operations(
        "glossary entry", GlossaryEntryDetailSerializer, GlossaryEntryWriteSerializer
    ),
)
class GlossaryEntryViewSet(PublishableContentViewSet):
    serializer_class = GlossaryEntrySerializer
    detail_serializer_class = GlossaryEntryDetailSerializer
    write_serializer_class = GlossaryEntryWriteSerializer
    filterset_class = GlossaryEntryFilterSet

    def get_queryset(self):
        return GlossaryEntry.objects.visible_to(self.request.user).with_tags()
