"""
Every use of drf-spectacular's private parts, in one module.

drf-spectacular's public seams (get_operation() and the other get_* methods, extensions,
hooks) see an operation, or a component once it is built, but not the schema of one field or
serializer while it is built (its own django-filter extension calls the private
`_map_serializer_field()` for that). The schema says in a field what Django's validators refuse
(a blank, a NUL, a slug or URL they would not take), which decides how drf-spectacular wraps
it (a pattern that takes "" must not be `oneOf` with "blank"); afterwards that is lost. So
`PrivateSchemaSteps` hands three private steps to methods of api.schema.AutoSchema, and
`registered_components()` reads the registry in the order the components were made (the name
a serializer was first given, not its page's). tests/test_orm_internals.py fails when an
upgrade renames them, changes what they take or stops calling them.
"""


class PrivateSchemaSteps:
    """drf-spectacular's private steps of a serializer's schema, handed to public-named hooks."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        return self.field_schema(field, direction, schema)

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        self.validated_field_schema(schema)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        return self.serializer_schema(serializer, direction, schema)


def registered_components(registry):
    """Return the components of a drf-spectacular registry, in the order they were made."""
    return list(registry._components.values())
