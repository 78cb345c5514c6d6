from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.serializers import (
    SHARED_DETAIL_FIELDS,
    SHARED_LIST_FIELDS,
    SHARED_WRITE_FIELDS,
    MarkdownSourceField,
    PublishableContentDetailSerializer,
    PublishableContentSerializer,
    PublishableContentWriteSerializer,
)
from content.structured_data import json_ld_schema
from glossary.models import GlossaryEntry
from glossary.structured_data import defined_term


class GlossaryEntrySerializer(PublishableContentSerializer):
    """A glossary entry as it appears in lists: the term and its short definition."""

    other_names = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Other words for the same thing."
    )
    abbreviations = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Its short forms."
    )

    class Meta(PublishableContentSerializer.Meta):
        model = GlossaryEntry
        fields = [
            "type",
            "slug",
            "term",
            "definition",
            "other_names",
            "abbreviations",
            *SHARED_LIST_FIELDS,
        ]


class GlossaryEntryDetailSerializer(PublishableContentDetailSerializer, GlossaryEntrySerializer):
    """A whole glossary entry: with its longer explanation, if it has one."""

    explanation = MarkdownSourceField()
    explanation_html = serializers.CharField(
        read_only=True, help_text="Sanitised HTML; empty when the entry has no explanation."
    )
    explanation_text = serializers.CharField(read_only=True)
    structured_data = serializers.SerializerMethodField()

    class Meta(GlossaryEntrySerializer.Meta):
        fields = [
            *GlossaryEntrySerializer.Meta.fields,
            "explanation",
            "explanation_html",
            "explanation_text",
            *SHARED_DETAIL_FIELDS,
        ]

    @extend_schema_field(json_ld_schema("DefinedTerm", in_language=False))
    def get_structured_data(self, entry):
        return defined_term(entry, self.context["request"])


class GlossaryEntryWriteSerializer(PublishableContentWriteSerializer):
    """A glossary entry as an editor writes it: the explanation in Markdown."""

    detail_serializer_class = GlossaryEntryDetailSerializer
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=120),
        required=False,
        help_text="Other words for the same thing.",
    )
    abbreviations = serializers.ListField(
        child=serializers.CharField(max_length=120),
        required=False,
        help_text="Short forms, matched in text with their exact capitals.",
    )

    class Meta:
        model = GlossaryEntry
        fields = [
            "slug",
            "term",
            "definition",
            "other_names",
            "abbreviations",
            "explanation",
            *SHARED_WRITE_FIELDS,
        ]
