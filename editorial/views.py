from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets

from editorial.cache_tags import detail_tags, set_cache_tags
from editorial.permissions import ReadOnlyOrModelPermissions
from editorial.services import entry_delete


class SlugLookupViewSet(viewsets.ModelViewSet):
    """
    Compact items in lists and complete ones in details, each addressed by slug.

    Staff with the model's permissions also create, change and delete: writes take the
    `write_serializer_class` and answer with the detail representation.
    """

    permission_classes = [ReadOnlyOrModelPermissions]

    # Validators, 304s and the server-side cache of answers: see api/conditional.py.
    serves_public_content = True
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    detail_serializer_class = None
    write_serializer_class = None
    # The list fields asked for with ?fields=, or None for all of them.
    selected_fields = None

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return self.write_serializer_class
        return self.detail_serializer_class if self.detail else self.serializer_class

    def get_serializer(self, *args, **kwargs):
        if self.selected_fields is not None:
            kwargs["fields"] = self.selected_fields
        return super().get_serializer(*args, **kwargs)

    def select_fields(self, queryset, names):
        """Serve only these fields of each list item; return the queryset that reads them."""
        self.selected_fields = names
        return queryset

    def perform_destroy(self, instance):
        entry_delete(entry=instance, actor=self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in {"GET", "HEAD"} and response.status_code == 200:
            set_cache_tags(response, self.cache_tags(response.data))
        return response

    def cache_tags(self, data):
        """Name the answer for a CDN's purge by tag (see editorial/cache_tags.py)."""
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


class PublishableContentViewSet(SlugLookupViewSet):
    """Items of one content type, each with its conditions and topics."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A list item has no body: the heavy columns would be read only to be dropped.
        return queryset.without_detail_fields() if self.action == "list" else queryset

    def select_fields(self, queryset, names):
        # Each kind of tag costs a query on every page: read only those asked for.
        queryset = queryset.with_tags(conditions="conditions" in names, topics="topics" in names)
        return super().select_fields(queryset, names)


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
