from drf_spectacular.utils import extend_schema, extend_schema_view

from articles.filters import ArticleFilterSet, FAQFilterSet
from articles.models import FAQ, Article
from articles.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    FAQDetailSerializer,
    FAQSerializer,
    FAQWriteSerializer,
)
from content.views import TranslatedContentViewSet
from entries.views import write_operations


@extend_schema_view(
    list=extend_schema(
        summary="List mechanism articles",
        description="Published mechanism articles, newest first, without their bodies. "
        "Staff with change permission see every state.",
    ),
    retrieve=extend_schema(
        summary="Get a mechanism article",
        description="The whole article: its body as sanitised HTML and as plain text, a table "
        "of contents whose ids match the headings, the medical review, the safety notices "
        "that must be shown with it, related items and its schema.org JSON-LD (MedicalWebPage).",
    ),
    **write_operations("mechanism article", ArticleDetailSerializer, ArticleWriteSerializer),
)
class ArticleViewSet(TranslatedContentViewSet):
    serializer_class = ArticleSerializer
    detail_serializer_class = ArticleDetailSerializer
    write_serializer_class = ArticleWriteSerializer
    filterset_class = ArticleFilterSet

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).with_tags()


@extend_schema_view(
    list=extend_schema(
        summary="List FAQs",
        description="Published questions in the editors' order, without their answers. "
        "Staff with change permission see every state.",
    ),
    retrieve=extend_schema(
        summary="Get an FAQ",
        description="The question with its answer as sanitised HTML and plain text, the "
        "medical review, the safety notices that must be shown with it, related items and its "
        "schema.org JSON-LD (FAQPage).",
    ),
    **write_operations("FAQ", FAQDetailSerializer, FAQWriteSerializer),
)
class FAQViewSet(TranslatedContentViewSet):
    serializer_class = FAQSerializer
    detail_serializer_class = FAQDetailSerializer
    write_serializer_class = FAQWriteSerializer
    filterset_class = FAQFilterSet

    def get_queryset(self):
        return FAQ.objects.visible_to(self.request.user).with_tags()
