from rest_framework import serializers

from editorial.readonly import ReadOnlyModelSerializer
from editorial.references import RelatedContentField
from taxonomy.serializers import SafetyNoticesField, TagReferenceSerializer

# Field names each content serializer appends after its own.
SHARED_LIST_FIELDS = ["conditions", "topics", "published_at", "updated_at"]
# Each detail serializer declares its own `structured_data`, of its schema.org type.
SHARED_DETAIL_FIELDS = ["review", "safety_notices", "related", "structured_data"]


class MedicalReviewSerializer(serializers.Serializer):
    """Who last checked the content medically, and when."""

    reviewer_name = serializers.CharField(allow_null=True, read_only=True)
    reviewer_credentials = serializers.CharField(allow_null=True, read_only=True)
    last_reviewed = serializers.DateField(allow_null=True, read_only=True)

    def to_representation(self, item):
        return {
            "reviewer_name": item.reviewer_name or None,
            "reviewer_credentials": item.reviewer_credentials or None,
            "last_reviewed": item.last_reviewed.isoformat() if item.last_reviewed else None,
        }


class PublishableContentSerializer(ReadOnlyModelSerializer):
    """Fields of every content item in a list."""

    # Filled by the QuerySet's with_tags().
    conditions = TagReferenceSerializer(source="condition_tags", many=True, read_only=True)
    topics = TagReferenceSerializer(source="topic_tags", many=True, read_only=True)

    class Meta:
        fields = ["slug", *SHARED_LIST_FIELDS]


class PublishableContentDetailSerializer(PublishableContentSerializer):
    """Fields every content detail adds: its review, the notices to show and related items."""

    review = MedicalReviewSerializer(source="*", read_only=True)
    safety_notices = SafetyNoticesField()
    related = RelatedContentField(
        help_text="Up to 6 published items of any type sharing its conditions and topics, "
        "those sharing the most first, then the newest."
    )

    class Meta(PublishableContentSerializer.Meta):
        fields = [*PublishableContentSerializer.Meta.fields, *SHARED_DETAIL_FIELDS]
