"""A content app's serializers, filters and viewset, at their smallest."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.filters import PublishableContentFilterSet
from content.serializers import (
    SHARED_DETAIL_FIELDS,
    SHARED_LIST_FIELDS,
    PublishableContentDetailSerializer,
    PublishableContentSerializer,
)
from content.structured_data import json_ld, json_ld_schema
from content.views import PublishableContentViewSet
from tests.fourth_type.models import Note


class NoteSerializer(PublishableContentSerializer):
    class Meta(PublishableContentSerializer.Meta):
        model = Note
        fields = ["type", "slug", "title", *SHARED_LIST_FIELDS]


class NoteDetailSerializer(PublishableContentDetailSerializer, NoteSerializer):
    structured_data = serializers.SerializerMethodField()

    class Meta(NoteSerializer.Meta):
        fields = [*NoteSerializer.Meta.fields, "body", *SHARED_DETAIL_FIELDS]

    @extend_schema_field(json_ld_schema("Article", in_language=False))
    def get_structured_data(self, note):
        return json_ld("Article", headline=note.title)


class NoteFilterSet(PublishableContentFilterSet):
    class Meta:
        model = Note
        fields = []


class NoteViewSet(PublishableContentViewSet):
    serializer_class = NoteSerializer
    detail_serializer_class = NoteDetailSerializer
    filterset_class = NoteFilterSet
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Note.objects.visible_to(self.request.user).with_tags()
