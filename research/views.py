from drf_spectacular.utils import extend_schema, extend_schema_view

from content.views import TranslatedContentViewSet
from entries.views import write_operations
from research.filters import ResearchSummaryFilterSet
from research.models import ResearchSummary
from research.serializers import (
    ResearchSummaryDetailSerializer,
    ResearchSummarySerializer,
    ResearchSummaryWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List research summaries",
        description="Published plain-language summaries of clinical studies, newest first. "
        "Staff with change permission see every state.",
    ),
    retrieve=extend_schema(
        summary="Get a research summary",
        description="The plain-language summary with key findings, limitations, study details, "
        "evidence level and the citation, also as CSL-JSON. Citation parts that could not be "
        "verified are null. With related items and the study's schema.org JSON-LD "
        "(ScholarlyArticle).",
    ),
    **write_operations(
        "research summary", ResearchSummaryDetailSerializer, ResearchSummaryWriteSerializer
    ),
)
class ResearchSummaryViewSet(TranslatedContentViewSet):
    serializer_class = ResearchSummarySerializer
    detail_serializer_class = ResearchSummaryDetailSerializer
    write_serializer_class = ResearchSummaryWriteSerializer
    filterset_class = ResearchSummaryFilterSet

    def get_queryset(self):
        return ResearchSummary.objects.visible_to(self.request.user).with_tags()
