"""The base of every public representation: a model serializer whose fields are all output only."""

import copy

from rest_framework import serializers


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    """
    A public representation: every field is output only, whatever the model allows.

    `fields=["slug", "title"]` keeps only those fields, each represented as it would be in
    the whole item.
    """

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in set(self.fields) - set(fields):
                self.fields.pop(name)

    def get_fields(self):
        # Fields depend on the class alone, and building them from the model costs about
        # twice what copying them does, on every request.
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)

    def get_extra_kwargs(self):
        # Read-only fields drop the model's input bounds, which differ between databases
        # and would otherwise make the schema depend on DATABASE_URL.
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra
