"""
Refuse, by name, the fields a client may not set, and values of the wrong JSON type: the
write serializers of entries, images and webhook endpoints all build on StrictFieldsMixin.
"""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.relations import RelatedField

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
