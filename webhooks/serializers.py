from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apibase.strict_fields import StrictFieldsMixin
from content import registry
from webhooks.models import EventType, WebhookEndpoint


class WebhookEndpointSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A webhook endpoint as staff read and write it; its secret is never shown again."""

    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.values),
        allow_empty=False,
        min_length=1,
        max_length=len(EventType.values),
        help_text="The event types it is sent.",
    )
    content_types = serializers.ListField(
        child=serializers.ChoiceField(choices=registry.TYPE_NAMES),
        required=False,
        max_length=len(registry.TYPE_NAMES),
        help_text="Only events about these content types; empty or left out: all.",
    )
    conditions = serializers.ListField(
        child=serializers.SlugField(max_length=120),
        required=False,
        max_length=100,
        help_text="Only events about items tagged with one of these conditions (slugs); "
        "empty or left out: all.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "content_types",
            "conditions",
            "is_active",
            "created_at",
            "updated_at",
            "failing_since",
            "disabled_at",
        ]
        read_only_fields = ["created_at", "updated_at", "failing_since", "disabled_at"]
        extra_kwargs = {
            "url": {"help_text": "Where events are POSTed: http or https, on a public address."},
            "is_active": {
                "help_text": "Inactive endpoints are sent nothing; set it to true to "
                "start again after the endpoint was disabled for failing."
            },
        }

    def type_checked_names(self, data, writable):
        return [name for name in data if name in writable]

    def to_internal_value(self, data):
        # Each kind of mistake alone, before the values are validated: unknown fields first,
        # then fields clients may not set, then JSON types (`"true"` is not `true`).
        if isinstance(data, dict):
            refused = self.refused_fields(data)
            unknown = {name: errors for name, errors in refused.items() if name not in self.fields}
            if unknown or refused:
                raise serializers.ValidationError(unknown or refused)
            if wrong := self.json_type_errors(data):
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def validate(self, attrs):
        endpoint = self.instance or WebhookEndpoint()
        for name, value in attrs.items():
            setattr(endpoint, name, value)
        try:
            endpoint.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return attrs


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The answer to a create: the endpoint, and its signing secret, shown this once."""

    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_` + base64), as Standard Webhooks libraries take "
        "it. Shown only in this answer: store it now.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookEndpointSerializer.Meta.read_only_fields, "secret"]
