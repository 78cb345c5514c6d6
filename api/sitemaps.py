"""/sitemap.xml: every published page of the website, with when it last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from content import registry
from entries.references import content_models


class PublishedContentSitemap(Sitemap):
    """
    The published entries of one content type, at their pages on the website.

    The addresses are FRONTEND_BASE_URL followed by the type's FRONTEND_*_PATH; without a
    frontend, they are the entries' API details on this server, as `canonical_url` says.
    """

    limit = 5000

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def location(self, item):
        if settings.FRONTEND_BASE_URL:
            return registry.for_model(item).frontend_path.format(slug=item.slug)
        return reverse(f"{item.reference_type}-detail", kwargs={"slug": item.slug})

    def get_protocol(self, protocol=None):
        if settings.FRONTEND_BASE_URL:
            return urlsplit(settings.FRONTEND_BASE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.FRONTEND_BASE_URL:
            # The host and any path prefix: the page's path follows them.
            return settings.FRONTEND_BASE_URL.split("://", 1)[1]
        return super().get_domain(site)


def sitemaps():
    return {model.reference_group: PublishedContentSitemap(model) for model in content_models()}
