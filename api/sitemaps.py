"""/sitemap.xml: every published page of the website, with when it last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apibase.languages import DEFAULT_LANGUAGE
from content import registry
from content.structured_data import language_address
from entries.references import content_models
from publishing.translatable import translation_languages


class PublishedContentSitemap(Sitemap):
    """
    The published entries of one content type, at their pages on the website: the English
    page of each, and its page in each language its translation is published in, each page
    naming all of them as `xhtml:link` alternates with their `hreflang`.

    The addresses are FRONTEND_BASE_URL followed by the type's FRONTEND_*_PATH; without a
    frontend, they are the entries' API details on this server, as `canonical_url` says. A
    translation's page is the same address with `?lang=<code>`, as JSON-LD's `url` says.
    """

    limit = 5000

    def __init__(self, model):
        self.model = model

    def items(self):
        """Each page, as (entry, language): Django's i18n sitemaps pass no language to lastmod."""
        entries = (
            self.model.objects.published()
            .with_translation_dates()
            .only("slug", "updated_at")
            .order_by("pk")
        )
        return [(entry, language) for entry in entries for language in self.languages_of(entry)]

    def languages_of(self, entry):
        published = [code for code in translation_languages() if self.translated_at(entry, code)]
        return [DEFAULT_LANGUAGE, *published]

    def translated_at(self, entry, language):
        # Annotated by with_translation_dates(); English-only types have no such attribute.
        return getattr(entry, f"translated_{language}_at", None)

    def lastmod(self, page):
        entry, language = page
        if language == DEFAULT_LANGUAGE:
            return entry.updated_at
        # The page shows the translation and the entry's untranslated parts.
        return max(entry.updated_at, self.translated_at(entry, language))

    def location(self, page):
        entry, language = page
        if settings.FRONTEND_BASE_URL:
            path = registry.for_model(entry).frontend_path.format(slug=entry.slug)
        else:
            path = reverse(f"{entry.reference_type}-detail", kwargs={"slug": entry.slug})
        return language_address(path, language)

    def get_urls(self, page=1, site=None, protocol=None):
        """Name each page's versions as its alternates, where there are more than one."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            entry, _ = url["item"]
            languages = self.languages_of(entry)
            if len(languages) > 1:
                url["alternates"] = [
                    {"lang_code": code, "location": base + self.location((entry, code))}
                    for code in languages
                ]
        return urls

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
