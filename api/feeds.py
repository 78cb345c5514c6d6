"""RSS and Atom feeds of new and updated articles and research summaries."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from content import registry
from content.structured_data import page_url

FEED_LENGTH = 30


class ContentFeed(Feed):
    """The last published or updated mechanism articles and research summaries, newest first."""

    title = "Ketamine clinic: new and updated articles"
    description = "Mechanism articles and research summaries, as they are published or updated."

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return settings.FRONTEND_BASE_URL or reverse("api-index")

    def items(self):
        recent = []
        for model in [ct.model for ct in registry.content_types() if ct.in_feed]:
            recent += model.objects.published().order_by("-updated_at")[:FEED_LENGTH]
        return sorted(recent, key=lambda item: item.updated_at, reverse=True)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return page_url(item, self.request)

    def item_guid(self, item):
        return f"{item.reference_type}:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class AtomContentFeed(ContentFeed):
    feed_type = Atom1Feed
    subtitle = ContentFeed.description
