from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.translated import TRANSLATION_FIELDS, TranslatedSerializer
from articles.models import FAQ, Article
from articles.structured_data import faq_page, medical_web_page
from content.serializers import (
    PLAIN_LANGUAGE_DETAIL_FIELDS,
    SHARED_DETAIL_FIELDS,
    SHARED_LIST_FIELDS,
    SHARED_WRITE_FIELDS,
    MarkdownSourceField,
    PlainLanguageDetailSerializer,
    PublishableContentDetailSerializer,
    PublishableContentSerializer,
    PublishableContentWriteSerializer,
)
from content.structured_data import json_ld_schema
from images.serializers import ImageSerializer, ImageSlugField


class OutlineEntrySerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True, help_text="The heading's id in `body_html`.")
    title = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True, min_value=2, max_value=3)


class ArticleSerializer(TranslatedSerializer, PublishableContentSerializer):
    """A mechanism article as it appears in lists: no body."""

    image = ImageSerializer(read_only=True, allow_null=True, help_text="Its hero image, if any.")
    reading_time_minutes = serializers.IntegerField(
        source="reading_time",
        read_only=True,
        min_value=1,
        help_text="Minutes to read the body, in the language of the answer.",
    )

    class Meta(PublishableContentSerializer.Meta):
        model = Article
        fields = [
            "type",
            "slug",
            "title",
            "summary",
            "author",
            "reading_time_minutes",
            "image",
            *SHARED_LIST_FIELDS,
            *TRANSLATION_FIELDS,
        ]


class ArticleDetailSerializer(
    PlainLanguageDetailSerializer, PublishableContentDetailSerializer, ArticleSerializer
):
    """A whole mechanism article, with the notices that must be shown beside it."""

    body_html = serializers.CharField(
        read_only=True, help_text="Sanitised HTML; headings have ids."
    )
    body_text = serializers.CharField(read_only=True, help_text="The body as plain text.")
    body = MarkdownSourceField()
    table_of_contents = OutlineEntrySerializer(source="outline", many=True, read_only=True)
    structured_data = serializers.SerializerMethodField()

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "body",
            "body_html",
            "body_text",
            "table_of_contents",
            *PLAIN_LANGUAGE_DETAIL_FIELDS,
            *SHARED_DETAIL_FIELDS,
        ]

    @extend_schema_field(json_ld_schema("MedicalWebPage"))
    def get_structured_data(self, article):
        return medical_web_page(article, self.context["request"], self.served_language(article))


class FAQSerializer(TranslatedSerializer, PublishableContentSerializer):
    """A question as it appears in lists: no answer."""

    class Meta(PublishableContentSerializer.Meta):
        model = FAQ
        fields = ["type", "slug", "question", "order", *SHARED_LIST_FIELDS, *TRANSLATION_FIELDS]


class FAQDetailSerializer(
    PlainLanguageDetailSerializer, PublishableContentDetailSerializer, FAQSerializer
):
    """A question with its answer, and the notices that must be shown beside it."""

    answer_html = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    answer_text = serializers.CharField(read_only=True, help_text="The answer as plain text.")
    answer = MarkdownSourceField()
    structured_data = serializers.SerializerMethodField()

    class Meta(FAQSerializer.Meta):
        fields = [
            *FAQSerializer.Meta.fields,
            "answer",
            "answer_html",
            "answer_text",
            *PLAIN_LANGUAGE_DETAIL_FIELDS,
            *SHARED_DETAIL_FIELDS,
        ]

    @extend_schema_field(json_ld_schema("FAQPage"))
    def get_structured_data(self, faq):
        return faq_page(faq, self.context["request"], self.served_language(faq))


class ArticleWriteSerializer(PublishableContentWriteSerializer):
    """A mechanism article as an editor writes it: the body in Markdown."""

    detail_serializer_class = ArticleDetailSerializer
    image = ImageSlugField(help_text="The slug of its hero image in the library, or null.")

    class Meta:
        model = Article
        fields = ["slug", "title", "summary", "body", "author", "image", *SHARED_WRITE_FIELDS]


class FAQWriteSerializer(PublishableContentWriteSerializer):
    """An FAQ as an editor writes it: the answer in Markdown."""

    detail_serializer_class = FAQDetailSerializer

    class Meta:
        model = FAQ
        fields = ["slug", "question", "answer", "order", *SHARED_WRITE_FIELDS]
