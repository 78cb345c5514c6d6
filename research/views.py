from drf_spectacular.utils import extend_schema, extend_schema_view

from editorial.views import PublishableContentViewSet
from research.filters import ResearchSummaryFilterSet
from research.models import ResearchSummary
from research.serializers import ResearchSummaryDetailSerializer, ResearchSummarySerializer


@extend_schema_view(
    list=extend_schema(
        summary="List research summaries",
        description="Published plain-language summaries of clinical studies, newest first.",
    ),
    retrieve=extend_schema(
        summary="Get a research summary",
        description="The plain-language summary with key findings, limitations, study details, "
        "evidence level and the citation, also as CSL-JSON. Citation parts that could not be "
        "verified are null. With related items and the study's schema.org JSON-LD "
        "(ScholarlyArticle).",
    ),
)
class ResearchSummaryViewSet(PublishableContentViewSet):
    serializer_class = ResearchSummarySerializer
    detail_serializer_class = ResearchSummaryDetailSerializer
    filterset_class = ResearchSummaryFilterSet

    def get_queryset(self):
        return ResearchSummary.objects.published().with_tags()
