from drf_spectacular.utils import extend_schema, extend_schema_view

from apibase.translated import TranslatedViewSetMixin
from entries.views import SlugLookupViewSet, write_operations
from taxonomy.filters import ConditionFilterSet, TopicFilterSet
from taxonomy.models import Condition, Topic
from taxonomy.serializers import (
    ConditionDetailSerializer,
    ConditionSerializer,
    ConditionWriteSerializer,
    TopicDetailSerializer,
    TopicSerializer,
    TopicWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List conditions",
        description="Conditions content is tagged with, by name, with how many published "
        "items of each type carry them.",
    ),
    retrieve=extend_schema(
        summary="Get a condition",
        description="The condition with its description, clinical codes (ICD-10-CM, SNOMED CT, "
        "MeSH; null where not known), the safety notices shown with its content and its hub: "
        "the newest published items of each type about it.",
    ),
    **write_operations("condition", ConditionDetailSerializer, ConditionWriteSerializer),
)
class ConditionViewSet(TranslatedViewSetMixin, SlugLookupViewSet):
    serializer_class = ConditionSerializer
    detail_serializer_class = ConditionDetailSerializer
    write_serializer_class = ConditionWriteSerializer
    filterset_class = ConditionFilterSet

    def get_queryset(self):
        return Condition.objects.with_content_counts()


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description="Topics content is tagged with, by name, with how many published items "
        "of each type carry them.",
    ),
    retrieve=extend_schema(
        summary="Get a topic",
        description="The topic with its description and its hub: the newest published items "
        "of each type about it.",
    ),
    **write_operations("topic", TopicDetailSerializer, TopicWriteSerializer),
)
class TopicViewSet(TranslatedViewSetMixin, SlugLookupViewSet):
    serializer_class = TopicSerializer
    detail_serializer_class = TopicDetailSerializer
    write_serializer_class = TopicWriteSerializer
    filterset_class = TopicFilterSet

    def get_queryset(self):
        return Topic.objects.with_content_counts()
