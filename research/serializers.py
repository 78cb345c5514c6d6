from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.translated import TRANSLATION_FIELDS, TranslatedSerializer
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
from research.citations import csl_item
from research.models import (
    CITATION_FIELDS,
    STUDY_FIELDS,
    SUMMARY_FIELDS,
    GradeCertainty,
    ResearchSummary,
)
from research.structured_data import scholarly_article


class CitationSerializer(serializers.Serializer):
    """The study's citation; a part that could not be verified is null, never guessed."""

    authors = serializers.CharField(source="citation_authors", allow_null=True, read_only=True)
    title = serializers.CharField(source="citation_title", allow_null=True, read_only=True)
    journal = serializers.CharField(allow_null=True, read_only=True)
    year = serializers.IntegerField(allow_null=True, read_only=True)
    volume = serializers.CharField(allow_null=True, read_only=True)
    issue = serializers.CharField(allow_null=True, read_only=True)
    pages = serializers.CharField(allow_null=True, read_only=True)
    doi = serializers.CharField(allow_null=True, read_only=True)
    pmid = serializers.CharField(allow_null=True, read_only=True)
    url = serializers.URLField(allow_null=True, read_only=True)
    doi_url = serializers.URLField(
        allow_null=True, read_only=True, help_text="https://doi.org link."
    )
    pubmed_url = serializers.URLField(allow_null=True, read_only=True, help_text="PubMed link.")

    def to_representation(self, summary):
        return {name: getattr(summary, field.source) or None for name, field in self.fields.items()}


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "The citation as a CSL-JSON item, ready for reference managers.",
    }
)
class CslJsonField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, summary):
        return csl_item(summary)


class ResearchSummarySerializer(TranslatedSerializer, PublishableContentSerializer):
    """A research summary as it appears in lists; its citation is never translated."""

    year = serializers.IntegerField(allow_null=True, read_only=True, help_text="Publication year.")

    class Meta(PublishableContentSerializer.Meta):
        model = ResearchSummary
        fields = [
            "type",
            "slug",
            "title",
            "summary",
            "study_design",
            "evidence_level",
            "year",
            *SHARED_LIST_FIELDS,
            *TRANSLATION_FIELDS,
        ]


class ResearchSummaryDetailSerializer(
    PlainLanguageDetailSerializer, PublishableContentDetailSerializer, ResearchSummarySerializer
):
    """A whole research summary with its study details and citation."""

    body = MarkdownSourceField()
    body_html = serializers.CharField(read_only=True, help_text="The plain-language summary.")
    body_text = serializers.CharField(read_only=True)
    key_findings = serializers.ListField(child=serializers.CharField(), read_only=True)
    study_design_label = serializers.CharField(source="get_study_design_display", read_only=True)
    evidence_level_label = serializers.CharField(
        source="get_evidence_level_display", read_only=True
    )
    grade_certainty = serializers.SerializerMethodField()
    citation = CitationSerializer(source="*", read_only=True)
    csl_json = CslJsonField()
    structured_data = serializers.SerializerMethodField()

    class Meta(ResearchSummarySerializer.Meta):
        fields = [
            *ResearchSummarySerializer.Meta.fields,
            "study_design_label",
            "evidence_level_label",
            "grade_certainty",
            "body",
            "body_html",
            "body_text",
            "key_findings",
            "limitations",
            "population",
            "sample_size",
            "intervention",
            "comparator",
            "citation",
            "csl_json",
            *PLAIN_LANGUAGE_DETAIL_FIELDS,
            *SHARED_DETAIL_FIELDS,
        ]

    @extend_schema_field(
        {
            # A plain string: a nullable enum would need a schema type OpenAPI 3.0 lacks.
            "type": "string",
            "nullable": True,
            "description": "GRADE certainty of the evidence where the source gives one: "
            + ", ".join(GradeCertainty.values)
            + "; otherwise null.",
        }
    )
    def get_grade_certainty(self, summary):
        return summary.grade_certainty or None

    @extend_schema_field(json_ld_schema("ScholarlyArticle", always=("name",)))
    def get_structured_data(self, summary):
        return scholarly_article(summary, self.context["request"], self.served_language(summary))


class ResearchSummaryWriteSerializer(PublishableContentWriteSerializer):
    """A research summary as an editor writes it: the summary in Markdown, the citation flat."""

    detail_serializer_class = ResearchSummaryDetailSerializer
    key_findings = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="One sentence per finding."
    )

    class Meta:
        model = ResearchSummary
        fields = [
            "slug",
            "title",
            *SUMMARY_FIELDS,
            *STUDY_FIELDS,
            *CITATION_FIELDS,
            *SHARED_WRITE_FIELDS,
        ]
