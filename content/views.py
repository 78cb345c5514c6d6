"""
The base viewset of every content type: the slug lookup and writes of entries, with renamed
slugs answered with a redirect, lists without the detail's heavy columns, and tags read only
when asked for.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from apibase.translated import TranslatedViewSetMixin
from entries.views import SlugLookupViewSet
from publishing.models import SlugRedirect


class PublishableContentViewSet(SlugLookupViewSet):
    """Items of one content type, each with its conditions and topics."""

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            new_slug = self.renamed_to(kwargs[self.lookup_field])
            if new_slug is None:
                raise
        location = reverse(f"{self.basename}-detail", kwargs={self.lookup_field: new_slug})
        return HttpResponsePermanentRedirect(request.build_absolute_uri(location))

    def renamed_to(self, old_slug):
        """Return the slug now of the entry once public under `old_slug`, if it is visible."""
        queryset = self.get_queryset()
        redirects = SlugRedirect.objects.filter(
            kind=queryset.model.reference_type, old_slug=old_slug
        )
        return (
            queryset.filter(pk__in=redirects.values("object_id"))
            .values_list("slug", flat=True)
            .first()
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A list item has no body: the heavy columns would be read only to be dropped.
        if self.action == "list":
            names = self.fields_asked_for()
            if names is not None:
                # Each kind of tag costs a query on every page: read only those asked for.
                queryset = queryset.with_tags(
                    conditions="conditions" in names, topics="topics" in names
                )
            return queryset.without_detail_fields()
        return queryset.with_review()


class TranslatedContentViewSet(TranslatedViewSetMixin, PublishableContentViewSet):
    """
    Items in the language negotiated by `?lang=` or Accept-Language (apibase/languages.py):
    each in English where its translation is not published, or, with `?fallback=false`, not
    at all. Answers say their language in Content-Language.
    """
