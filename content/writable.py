"""The base of every write serializer: saves go through the editorial services, with history."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.relations import RelatedField

from editorial.services import entry_create, entry_update

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


# The JSON type each kind of field takes, as the schema says. DRF would also take 5 for "5",
# "5" for 5 and "true" for true; a client that sends those has a bug worth hearing about.
JSON_TYPES = [
    (serializers.BooleanField, (bool,), "a boolean"),
    (serializers.IntegerField, (int,), "an integer"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.ListField, (list,), "a list"),
    (serializers.ManyRelatedField, (list,), "a list"),
    (serializers.CharField, (str,), "a string"),
    (serializers.ChoiceField, (str,), "a string"),
    (serializers.DateField, (str,), "a string"),
    (serializers.DateTimeField, (str,), "a string"),
    (RelatedField, (str,), "a string"),
]


def json_type_error(field, value):
    """Return what is wrong with the JSON type of `value` for `field`, or None."""
    if value is None:
        return None  # allow_null decides
    for field_class, types, name in JSON_TYPES:
        if isinstance(field, field_class):
            if not isinstance(value, types) or (int in types and isinstance(value, bool)):
                return f"Expected {name}."
            if isinstance(field, serializers.ListField | serializers.ManyRelatedField):
                child = getattr(field, "child", None) or field.child_relation
                errors = [json_type_error(child, item) for item in value]
                return next((error for error in errors if error), None)
            return None
    return None


class StrictFieldsMixin:
    """
    Refuse, by name, the fields a client may not set, and values of the wrong JSON type.

    A name in `known_field_names()` that is not writable is "This field cannot be set by
    clients."; any other unwritable name is "Unknown field.". A writable field's value must
    have the JSON type the schema gives it (`json_type_error`): `"slug": 7` is not a slug.
    These errors are reported with DRF's own field errors, in one 400.
    """

    def known_field_names(self):
        """Names the resource has, though a client may not set them all."""
        return set(self.fields)

    def refusal(self, name, known):
        return "This field cannot be set by clients." if known else "Unknown field."

    def type_checked_names(self, data, writable):
        """The writable names given whose JSON types are checked, in the order reported."""
        return sorted(set(data) & writable)

    def refused_fields(self, data):
        """Return {name: [message]} for each field given that a client may not set."""
        writable = {name for name, field in self.fields.items() if not field.read_only}
        known = self.known_field_names()
        return {name: [self.refusal(name, name in known)] for name in sorted(set(data) - writable)}

    def json_type_errors(self, data):
        """Return {name: [message]} for each writable field given a value of the wrong type."""
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return {
            name: [error]
            for name in self.type_checked_names(data, writable)
            if (error := json_type_error(self.fields[name], data[name]))
        }

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            errors = {**self.refused_fields(data), **self.json_type_errors(data)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({**error.detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value


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
