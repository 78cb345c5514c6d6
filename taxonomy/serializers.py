from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.translated import TRANSLATION_FIELDS, TranslatedSerializer
from content import registry
from entries.readonly import ReadOnlyModelSerializer
from entries.references import HubSerializer
from entries.writable import EntryWriteSerializer
from images.serializers import ImageSerializer, ImageSlugField
from taxonomy.models import Condition, SafetyNotice, Topic, served_name


class TagReferenceSerializer(serializers.Serializer):
    """A condition or topic as other resources point to it."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)

    def to_representation(self, tag):
        # A list page has a hundred or more of these: skip DRF's per-field machinery. The
        # name is in the answer's language where the tag's translation is published.
        return {"slug": tag.slug, "name": served_name(tag)}


class SafetyNoticeSerializer(ReadOnlyModelSerializer):
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML.")

    class Meta:
        model = SafetyNotice
        fields = ["slug", "title", "severity", "body_html"]

    def to_representation(self, notice):
        # Plain strings all: reading them directly spares building the model's fields on
        # every detail request. The text is the answer's language's where the notice's
        # translation is published (annotated by in_language()), else English; never a draft.
        language = notice.served_language()
        return {
            "slug": notice.slug,
            "title": getattr(notice, f"title_{language}"),
            "severity": notice.severity,
            "body_html": getattr(notice, f"body_html_{language}"),
        }


@extend_schema_field(SafetyNoticeSerializer(many=True))
class SafetyNoticesField(serializers.Field):
    """
    The notices that apply to an item: those shown everywhere and those of its conditions.

    Serialising many items, pass a `SafetyNoticeIndex` as context["safety_notices"] to read
    the notices once instead of once per item.
    """

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, item):
        conditions = [condition.pk for condition in item.condition_tags]
        index = self.context.get("safety_notices")
        if index is not None:
            return SafetyNoticeSerializer(index.applying_to(conditions), many=True).data
        notices = SafetyNotice.objects.applying_to(conditions)
        return SafetyNoticeSerializer(notices, many=True).data


class ContentCountsSerializer(serializers.Serializer):
    def get_fields(self):
        # By content group ("articles"), read from `article_count` (with_content_counts()).
        return {
            content_type.group: serializers.IntegerField(
                source=f"{content_type.name}_count", read_only=True
            )
            for content_type in registry.content_types()
        }


class TagSerializer(TranslatedSerializer, ReadOnlyModelSerializer):
    """
    A tag in the negotiated language where its translation is published: its name and
    description. Other names stay as written (words people search for).
    """

    other_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    content_counts = ContentCountsSerializer(
        source="*", read_only=True, help_text="How many published items of each type carry it."
    )

    class Meta:
        fields = [
            "slug",
            "name",
            "other_names",
            "content_counts",
            "updated_at",
            *TRANSLATION_FIELDS,
        ]


class TopicSerializer(TagSerializer):
    """A topic as it appears in lists."""

    class Meta(TagSerializer.Meta):
        model = Topic


HUB_HELP = "The newest 5 published items of each type tagged with it."


class TopicDetailSerializer(TopicSerializer):
    """A topic with its description and the newest content about it."""

    hub = HubSerializer(source="*", read_only=True, help_text=HUB_HELP)

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "description", "hub"]


class ConditionSerializer(TagSerializer):
    """A condition as it appears in lists."""

    image = ImageSerializer(read_only=True, allow_null=True, help_text="Its image, if any.")

    class Meta(TagSerializer.Meta):
        model = Condition
        fields = [*TagSerializer.Meta.fields, "image"]


class ClinicalCodesSerializer(serializers.Serializer):
    icd10cm = serializers.CharField(allow_null=True, read_only=True, help_text="ICD-10-CM code.")
    snomed_ct = serializers.CharField(allow_null=True, read_only=True, help_text="SNOMED CT id.")
    mesh = serializers.CharField(allow_null=True, read_only=True, help_text="MeSH descriptor id.")

    def to_representation(self, condition):
        return {name: getattr(condition, name) or None for name in self.fields}


class ConditionDetailSerializer(ConditionSerializer):
    """A condition with its description, clinical codes, safety notices and newest content."""

    clinical_codes = ClinicalCodesSerializer(source="*", read_only=True)
    safety_notices = serializers.SerializerMethodField()
    hub = HubSerializer(source="*", read_only=True, help_text=HUB_HELP)

    class Meta(ConditionSerializer.Meta):
        fields = [
            *ConditionSerializer.Meta.fields,
            "description",
            "clinical_codes",
            "safety_notices",
            "hub",
        ]

    @extend_schema_field(SafetyNoticeSerializer(many=True))
    def get_safety_notices(self, condition):
        return SafetyNoticeSerializer(
            SafetyNotice.objects.applying_to([condition.pk]), many=True
        ).data


class TagWriteSerializer(EntryWriteSerializer):
    other_names = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Other words people use."
    )

    def read_queryset(self):
        return self.Meta.model.objects.with_content_counts()


class TopicWriteSerializer(TagWriteSerializer):
    """A topic as an editor writes it."""

    detail_serializer_class = TopicDetailSerializer

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "other_names"]


class ConditionWriteSerializer(TagWriteSerializer):
    """A condition as an editor writes it, with its clinical codes where known."""

    detail_serializer_class = ConditionDetailSerializer

    image = ImageSlugField()

    class Meta:
        model = Condition
        fields = [
            "slug",
            "name",
            "description",
            "other_names",
            "icd10cm",
            "snomed_ct",
            "mesh",
            "image",
        ]
