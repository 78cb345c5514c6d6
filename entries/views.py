"""
The base viewset of every edited resource, tags and content alike: lookup by slug, conditional
writes (If-Match), and writes through the editorial services (entries/writing.py).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets

from apibase.cache_tags import detail_tags, set_cache_tags
from apibase.permissions import ReadOnlyOrModelPermissions
from apibase.preconditions import IfMatchWritesMixin, StaleEntry, stale_write
from entries.readonly import FIELDS_PARAMETER, requested_fields
from entries.writing import entry_delete


class SlugLookupViewSet(IfMatchWritesMixin, viewsets.ModelViewSet):
    """
    Compact items in lists and complete ones in details, each addressed by slug.

    Staff with the model's permissions also create, change and delete: writes take the
    `write_serializer_class` and answer with the detail representation.
    """

    permission_classes = [ReadOnlyOrModelPermissions]

    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    detail_serializer_class = None
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return self.write_serializer_class
        return self.detail_serializer_class if self.detail else self.serializer_class

    def get_serializer(self, *args, **kwargs):
        names = self.fields_asked_for()
        if names is not None:
            kwargs["fields"] = names
        return super().get_serializer(*args, **kwargs)

    def fields_asked_for(self):
        """Return the list item's fields that `?fields=` names, None without it."""
        query_params = getattr(self.request, "query_params", {})
        if self.action != "list" or FIELDS_PARAMETER not in query_params:
            return None
        # Checked by the filter backend (api.filtering) before the list is read.
        names, _errors = requested_fields(self.request, self.serializer_class.Meta.fields)
        return names

    def perform_destroy(self, instance):
        try:
            entry_delete(
                entry=instance, actor=self.request.user, expected_version=self.expected_version
            )
        except StaleEntry as stale:
            raise stale_write(stale, deleting=True) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in {"GET", "HEAD"} and response.status_code == 200:
            set_cache_tags(response, self.cache_tags(response.data))
        return response

    def cache_tags(self, data):
        """Name the answer for a CDN's purge by tag (see apibase/cache_tags.py)."""
        model = self.get_queryset().model
        if not self.detail:
            return [getattr(model, "reference_group", None) or str(model._meta.verbose_name_plural)]
        kind = getattr(model, "reference_type", None) or model._meta.model_name
        return detail_tags(
            kind,
            data["slug"],
            [tag["slug"] for tag in data.get("conditions", ())],
            [tag["slug"] for tag in data.get("topics", ())],
        )


def write_operations(noun, detail_serializer, write_serializer):
    """Describe the create, update and delete operations of a collection of `noun`s."""
    answer = OpenApiResponse(detail_serializer, description=f"The {noun} as it now is.")
    needs = "Needs a staff account with the matching model permission"
    return {
        "create": extend_schema(
            summary=f"Create a {noun}",
            description=f"{needs} (add). Tags are given by slug. Fields a client may not set, "
            "and unknown fields, are refused by name.",
            request=write_serializer,
            responses={201: answer},
        ),
        "update": extend_schema(
            summary=f"Replace a {noun}",
            description=f"{needs} (change). Every required field must be given.",
            request=write_serializer,
            responses={200: answer},
        ),
        "partial_update": extend_schema(
            summary=f"Change a {noun}",
            description=f"{needs} (change). Only the fields given change.",
            request=write_serializer,
            responses={200: answer},
        ),
        "destroy": extend_schema(
            summary=f"Delete a {noun}",
            description=f"{needs} (delete). Its last version is kept: an editor can recover "
            "it from the admin's history.",
            responses={204: OpenApiResponse(description="Deleted.")},
        ),
    }
