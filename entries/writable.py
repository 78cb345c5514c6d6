"""
The base of every entry's write serializer: saves go through the editorial services (plugged in
at entries/writing.py), with history.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apibase.strict_fields import StrictFieldsMixin
from entries.writing import entry_create, entry_update

# The addresses a URL field takes, on top of Django's URLValidator, and as the schema states
# them: http(s), a host name, then a path, query and fragment of the characters RFC 3986
# allows, with % only before two hex digits.
_URI_CHARACTER = r"(?:[-a-zA-Z0-9_.~!$&'()*+,;=:@/?]|%[0-9a-fA-F]{2})"
HTTP_URL_PATTERN = (
    # A host name of 253 characters at most, as URLValidator wants.
    r"^https?://(?=[^/:#?]{1,253}([/:#?]|$))"
    r"([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}(:[0-9]{1,5})?"
    rf"(/{_URI_CHARACTER}*)?(#{_URI_CHARACTER}*)?(?!\n)$"
)


def validate_http_url(value):
    if value and not re.match(HTTP_URL_PATTERN, value):
        raise DjangoValidationError(
            "Enter an http(s) address with a host name; its path in plain ASCII.", code="invalid"
        )


class EntryWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """
    What an editor sends to create or change an entry; the answer is the entry's detail.

    Every field is checked: one the client may not set (an id, a timestamp, a derived field)
    or one that does not exist is refused by name rather than dropped. The entry is then
    validated on the model, as in the admin, and saved through the services, which record a
    version and allow only the workflow's moves.
    """

    detail_serializer_class = None

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # Integer bounds come from the database backend (2**63 - 1 on SQLite, 2**31 - 1 on
        # PostgreSQL); take the smaller one everywhere, so the schema is the same on both.
        if kwargs.get("max_value", 0) > 2**31 - 1:
            kwargs["max_value"] = 2**31 - 1
        if issubclass(field_class, serializers.URLField):
            kwargs["validators"] = [*kwargs.get("validators", []), validate_http_url]
        return field_class, kwargs

    def known_field_names(self):
        model_fields = {field.name for field in self.Meta.model._meta.get_fields()}
        return model_fields | set(self.detail_serializer_class.Meta.fields) | {"id", "pk"}

    def create(self, validated_data):
        fields, tags = self._split(validated_data)
        return self._write(
            entry_create, model=self.Meta.model, fields=fields, tags=tags, comment="Created (API)."
        )

    def update(self, instance, validated_data):
        expected_version = validated_data.pop("expected_version", None)
        fields, tags = self._split(validated_data)
        return self._write(
            entry_update,
            entry=instance,
            fields=fields,
            tags=tags,
            comment="Changed (API).",
            expected_version=expected_version,
        )

    def to_representation(self, instance):
        fresh = self.read_queryset().get(pk=instance.pk)
        return self.detail_serializer_class(fresh, context=self.context).data

    def read_queryset(self):
        return self.Meta.model.objects.with_tags()

    def _split(self, validated_data):
        relations = {field.name for field in self.Meta.model._meta.many_to_many}
        fields = {k: v for k, v in validated_data.items() if k not in relations}
        tags = {k: v for k, v in validated_data.items() if k in relations}
        return fields, tags

    def _write(self, service, **kwargs):
        try:
            return service(actor=self.context["request"].user, **kwargs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
