from rest_framework import viewsets


class SlugLookupViewSet(viewsets.ReadOnlyModelViewSet):
    """Compact items in lists and complete ones in details, each addressed by slug."""

    # Validators, 304s and the server-side cache of answers: see api/conditional.py.
    serves_public_content = True
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    detail_serializer_class = None

    def get_serializer_class(self):
        return self.detail_serializer_class if self.detail else self.serializer_class
