"""The old addresses of renamed entries, for a frontend's redirect table."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from content import registry
from entries.references import content_models
from publishing.models import SlugRedirect


class SlugRedirectSerializer(serializers.Serializer):
    type = serializers.CharField(
        source="kind", help_text="The entry's content type: article, faq or research."
    )
    old_slug = serializers.SlugField(help_text="The slug the entry was public under.")
    slug = serializers.SlugField(help_text="Its slug now.")
    from_path = serializers.SerializerMethodField(
        help_text="The old page's path on the website (FRONTEND_*_PATH settings)."
    )
    to_path = serializers.SerializerMethodField(help_text="The page's path now.")

    def get_from_path(self, redirect) -> str:
        return registry.get(redirect.kind).frontend_path.format(slug=redirect.old_slug)

    def get_to_path(self, redirect) -> str:
        return registry.get(redirect.kind).frontend_path.format(slug=redirect.slug)


@extend_schema_view(
    list=extend_schema(operation_id="listRedirects", summary="List redirects of renamed entries")
)
class SlugRedirectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """
    Every old slug of a published entry that was renamed, with its slug now: answer the old
    page with a 301 to the new one. The API's own detail of an old slug answers 301 too.
    Only entries public now are listed.
    """

    serializer_class = SlugRedirectSerializer

    def get_queryset(self):
        kinds = {model.reference_type: model for model in content_models()}
        return SlugRedirect.objects.to_public(kinds).order_by("kind", "old_slug")
