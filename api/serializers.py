"""Bodies the API's plumbing returns: problem details, health and sync."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from articles.serializers import ArticleDetailSerializer, FAQDetailSerializer
from research.serializers import ResearchSummaryDetailSerializer


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


class SyncBadRequestProblemSerializer(ProblemSerializer):
    """Invalid query parameters (with `errors`), or a cursor that cannot be continued."""

    errors = InvalidParamSerializer(
        many=True, required=False, help_text="Each invalid query parameter, when that is the cause."
    )


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


def _without_related(fields):
    return [name for name in fields if name != "related"]


class ArticleSyncSerializer(ArticleDetailSerializer):
    """An article as sync delivers it: its detail less `related`, which the mirror can derive."""

    related = None

    class Meta(ArticleDetailSerializer.Meta):
        fields = _without_related(ArticleDetailSerializer.Meta.fields)


class FAQSyncSerializer(FAQDetailSerializer):
    """An FAQ as sync delivers it: its detail less `related`, which the mirror can derive."""

    related = None

    class Meta(FAQDetailSerializer.Meta):
        fields = _without_related(FAQDetailSerializer.Meta.fields)


class ResearchSummarySyncSerializer(ResearchSummaryDetailSerializer):
    """A research summary as sync delivers it: its detail less `related`."""

    related = None

    class Meta(ResearchSummaryDetailSerializer.Meta):
        fields = _without_related(ResearchSummaryDetailSerializer.Meta.fields)


class CommaSeparatedField(serializers.ListField):
    """A list given as one comma-separated query parameter value, e.g. `article,faq`."""

    def to_internal_value(self, data):
        # A QueryDict hands over a list of values: split each of them.
        values = [data] if isinstance(data, str) else data
        parts = [part.strip() for value in values for part in str(value).split(",")]
        return super().to_internal_value([part for part in parts if part])


class SyncParametersSerializer(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="The `cursor` of the previous answer; omit it to start a sync.",
    )
    type = CommaSeparatedField(
        child=serializers.ChoiceField(choices=["article", "faq", "research"]),
        required=False,
        allow_empty=False,
        help_text="Content types to mirror, comma-separated: article, faq, research. Default: all.",
    )
    condition = CommaSeparatedField(
        child=serializers.SlugField(),
        required=False,
        allow_empty=False,
        help_text="Condition slugs, comma-separated: mirror only items tagged with any of "
        "them. Default: every item.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=200,
        default=100,
        help_text="Most changes in one answer, 1 to 200; default 100.",
    )


class SyncChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["article", "faq", "research"])
    slug = serializers.SlugField()
    action = serializers.ChoiceField(
        choices=["upsert", "remove"],
        help_text="upsert: store `item` under this type and slug, replacing what you have. "
        "remove: delete what you have under this type and slug, if anything.",
    )
    item = PolymorphicProxySerializer(
        component_name="SyncItem",
        serializers=[ArticleSyncSerializer, FAQSyncSerializer, ResearchSummarySyncSerializer],
        resource_type_field_name=None,
        required=False,
        help_text="With upsert only: the item's detail representation as "
        "`/api/v1/{articles,faqs,research}/{slug}/` gives it, less `related` (one query per "
        "item; an app derives it from the conditions and topics it mirrors).",
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
