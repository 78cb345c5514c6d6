"""Bodies the API's plumbing returns: problem details, health and sync."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from apibase.languages import DEFAULT_LANGUAGE, LANGUAGES
from content import registry


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem details document."""

    type = serializers.CharField(
        help_text='A URI naming the problem type: "about:blank", or for a sync cursor that '
        'cannot be continued "urn:ketamine-content-api:problem:sync-restart".'
    )
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    instance = serializers.CharField(required=False, help_text="The request's path and query.")
    code = serializers.CharField(
        required=False,
        help_text="For problems with their own `type`, a short code for programs to act on: "
        "`sync_restart`.",
    )


class InvalidParamSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong with this value.")
    parameter = serializers.CharField(required=False, help_text="The query parameter's name.")
    pointer = serializers.CharField(
        required=False, help_text="JSON Pointer to the field in the request body."
    )


class ValidationProblemSerializer(ProblemSerializer):
    """A problem details document for invalid input, listing every offending value."""

    errors = InvalidParamSerializer(many=True)


class BodyProblemSerializer(ProblemSerializer):
    """A body that is not JSON (no `errors`), or whose fields are invalid (each in `errors`)."""

    errors = InvalidParamSerializer(
        many=True, required=False, help_text="Each invalid field, when that is the cause."
    )


def index_routes():
    """Return the index's entries, name -> URL name: every content type's list first."""
    return {
        **{
            content_type.prefix: f"{content_type.name}-list"
            for content_type in registry.content_types()
        },
        **INDEX_ROUTES,
    }


# The index's entries after the content types: name -> URL name.
INDEX_ROUTES = {
    "conditions": "condition-list",
    "topics": "topic-list",
    "images": "image-list",
    "search": "search-list",
    "search_suggest": "search-suggest-list",
    "sync": "sync",
    "schema": "schema",
    "docs": "swagger-ui",
}


class ApiIndexSerializer(serializers.Serializer):
    """The API's resources, each with its absolute address."""

    conditions = serializers.URLField(help_text="Conditions content is tagged with.")
    topics = serializers.URLField(help_text="Topics content is tagged with.")
    images = serializers.URLField(help_text="The media library.")
    search = serializers.URLField(help_text="Search across every content type (`?q=`).")
    search_suggest = serializers.URLField(help_text="Search-as-you-type completions (`?q=`).")
    sync = serializers.URLField(help_text="Offline sync of the public content.")
    schema = serializers.URLField(help_text="This API's OpenAPI schema.")
    docs = serializers.URLField(help_text="Its interactive documentation.")

    def get_fields(self):
        fields = {
            content_type.prefix: serializers.URLField(help_text=content_type.description)
            for content_type in registry.content_types()
        }
        return {**fields, **super().get_fields()}


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok"])


class ReadinessChecksSerializer(serializers.Serializer):
    database = serializers.ChoiceField(choices=["ok", "unavailable"])
    cache = serializers.ChoiceField(choices=["ok", "unavailable"])


class ReadinessSerializer(HealthSerializer):
    checks = ReadinessChecksSerializer()


class ReadinessProblemSerializer(ProblemSerializer):
    checks = ReadinessChecksSerializer()


class WorkerChecksSerializer(serializers.Serializer):
    broker = serializers.ChoiceField(
        choices=["ok", "unavailable"], help_text="Whether the broker (queue) answers."
    )
    outbox = serializers.ChoiceField(
        choices=["ok", "stalled"],
        help_text="stalled: an event has been due for longer than a few relay intervals.",
    )


class WorkerReadinessSerializer(HealthSerializer):
    checks = WorkerChecksSerializer()


class WorkerReadinessProblemSerializer(ProblemSerializer):
    checks = WorkerChecksSerializer()


class CommaSeparatedField(serializers.ListField):
    """A list given as one comma-separated query parameter value, e.g. `article,faq`."""

    default_error_messages = {"empty_item": "An item of the list is empty."}

    def to_internal_value(self, data):
        # A QueryDict hands over a list of values: split each of them.
        values = [data] if isinstance(data, str) else data
        # Items as given: ` faq` is not a type, as the schema's enum says.
        parts = [part for value in values for part in str(value).split(",")]
        if not all(part.strip() for part in parts):
            self.fail("empty_item")
        return super().to_internal_value(parts)


class SyncParametersSerializer(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="The `cursor` of the previous answer; omit it to start a sync.",
    )
    type = CommaSeparatedField(
        child=serializers.ChoiceField(choices=registry.TYPE_NAMES),
        required=False,
        allow_empty=False,
        help_text=f"Content types to mirror, comma-separated: {', '.join(registry.TYPE_NAMES)}. "
        "Default: all.",
    )
    condition = CommaSeparatedField(
        child=serializers.SlugField(trim_whitespace=False),
        required=False,
        allow_empty=False,
        help_text="Condition slugs, comma-separated: mirror only items tagged with any of "
        "them. Default: every item.",
    )
    lang = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        default=DEFAULT_LANGUAGE,
        help_text="The language of the items, `en` or `es`: part of the sync's scope. Default: en.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=200,
        default=100,
        help_text="Most changes in one answer, 1 to 200; default 100.",
    )


class SyncChangeSerializer(serializers.Serializer):
    """
    One change to apply. With `upsert`, `item` is the item's detail representation, exactly
    as `/api/v1/{articles,faqs,research,glossary}/{slug}/` gives it; its `type` tells which.
    """

    type = serializers.ChoiceField(choices=registry.TYPE_NAMES)
    slug = serializers.SlugField()
    action = serializers.ChoiceField(
        choices=["upsert", "remove"],
        help_text="upsert: store `item` under this type and slug, replacing what you have. "
        "remove: delete what you have under this type and slug, if anything.",
    )
    item = PolymorphicProxySerializer(
        component_name="SyncItem",
        serializers=lambda: {
            content_type.name: content_type.detail_serializer
            for content_type in registry.content_types()
        },
        resource_type_field_name="type",
        required=False,
        # No help_text: it would wrap the union in an allOf, which client generators read as
        # inheritance from it. SyncChangeSerializer's docstring says what `item` is.
    )


class SyncPageSerializer(serializers.Serializer):
    changes = SyncChangeSerializer(many=True)
    cursor = serializers.CharField(
        help_text="Opaque. Send it back as `cursor`, with the same type and condition, to get "
        "what changed since this answer."
    )
    has_more = serializers.BooleanField(
        help_text="Whether more changes are waiting: if true, ask again with `cursor` now."
    )
