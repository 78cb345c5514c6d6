from rest_framework import viewsets


class SlugLookupViewSet(viewsets.ReadOnlyModelViewSet):
    """Compact items in lists and complete ones in details, each addressed by slug."""

    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    detail_serializer_class = None
    # The list fields asked for with ?fields=, or None for all of them.
    selected_fields = None

    def get_serializer_class(self):
        return self.detail_serializer_class if self.detail else self.serializer_class

    def get_serializer(self, *args, **kwargs):
        if self.selected_fields is not None:
            kwargs["fields"] = self.selected_fields
        return super().get_serializer(*args, **kwargs)

    def select_fields(self, queryset, names):
        """Serve only these fields of each list item; return the queryset that reads them."""
        self.selected_fields = names
        return queryset


class PublishableContentViewSet(SlugLookupViewSet):
    """Published items of one content type, each with its conditions and topics."""

    def select_fields(self, queryset, names):
        # Each kind of tag costs a query on every page: read only those asked for.
        queryset = queryset.prefetch_related(None).with_tags(
            conditions="conditions" in names, topics="topics" in names
        )
        return super().select_fields(queryset, names)
