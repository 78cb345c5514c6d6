"""The base of every public representation: a model serializer whose fields are all output only."""

import copy

from rest_framework import serializers

# Lists answer `?fields=slug,title` with only those fields of each item.
FIELDS_PARAMETER = "fields"


def requested_fields(request, allowed):
    """
    Return the fields `?fields=` asks for, in the order of `allowed`, and the errors.

    `?fields=slug,title` and `?fields=slug&fields=title` mean the same; without the
    parameter the names are None (every field). Parsed once per request and kept on it
    (`request.requested_fields`): api.filtering refuses a request with errors, and the list
    view hands the names to its serializer.
    """
    if FIELDS_PARAMETER not in request.query_params:
        return None, []
    try:
        return request.requested_fields
    except AttributeError:
        pass
    asked = {
        name.strip()
        for value in request.query_params.getlist(FIELDS_PARAMETER)
        for name in value.split(",")
        if name.strip()
    }
    unknown = sorted(asked - set(allowed))
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        parsed = None, [f"No such field: {names}. Choose from: {', '.join(allowed)}."]
    elif not asked:
        parsed = None, [f"Name at least one field, from: {', '.join(allowed)}."]
    else:
        parsed = [name for name in allowed if name in asked], []
    request.requested_fields = parsed
    return parsed


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
