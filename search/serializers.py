"""How search results, facets and completions look to clients."""

import html
import re

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from content import registry
from search.models import Language
from search.query import MARK_END, MARK_START


def snippet_html(raw):
    """Escape the passage, then turn the match markers into <mark> tags: nothing else is HTML."""
    text = html.escape(" ".join((raw or "").split()), quote=False)
    return text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class ResultTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=registry.TYPE_NAMES, read_only=True, **kwargs)


# Slugs that reverse() puts in a URL as they are: no character of them is ever quoted.
_PLAIN_SLUG = re.compile(r"[-A-Za-z0-9_]+")
_SLUG_PLACEHOLDER = "slug-placeholder-e000"


def detail_url(document, context):
    """
    The item's detail URL. Each type's URL is reversed once an answer, with a placeholder
    that the slug then replaces (kept in the serializer's context, which an answer's
    serializers share): a page of results reverses one URL per type.
    """
    request = context.get("request")
    templates = context.setdefault("detail_url_templates", {})
    template = None
    if _PLAIN_SLUG.fullmatch(document.slug):
        if document.type not in templates:
            url = reverse(
                f"{document.type}-detail", kwargs={"slug": _SLUG_PLACEHOLDER}, request=request
            )
            parts = url.split(_SLUG_PLACEHOLDER)
            templates[document.type] = parts if len(parts) == 2 else None
        template = templates[document.type]
    if template is None:
        return reverse(f"{document.type}-detail", kwargs={"slug": document.slug}, request=request)
    return document.slug.join(template)


class SearchResultSerializer(serializers.Serializer):
    """One result: an article, FAQ or research summary, with why it matched."""

    type = ResultTypeField(help_text="What the result is; `url` gives the whole item.")
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="For an FAQ, its question.")
    summary = serializers.CharField(
        read_only=True, help_text="Plain text. For an FAQ, the opening words of its answer."
    )
    snippet = serializers.CharField(
        read_only=True,
        help_text="The best passages of the body, as HTML whose only tags are <mark> around "
        "the matched words; everything else is escaped text.",
    )
    score = serializers.FloatField(read_only=True, help_text="Relevance; higher is better.")
    url = serializers.URLField(read_only=True, help_text="The item's detail in this API.")

    def to_representation(self, document):
        return {
            "type": document.type,
            "slug": document.slug,
            "title": document.title,
            "summary": document.summary,
            "snippet": snippet_html(document.snippet),
            "score": document.score,
            "url": detail_url(document, self.context),
        }


class FacetCountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value to pass to the filter of this facet.")
    name = serializers.CharField(required=False, help_text="Display name (tags only).")
    count = serializers.IntegerField(help_text="How many of the matches have it.")


class FacetsSerializer(serializers.Serializer):
    type = FacetCountSerializer(many=True)
    condition = FacetCountSerializer(many=True)
    topic = FacetCountSerializer(many=True)


# One object, although it answers the list action: not wrapped in an array.
@extend_schema_serializer(many=False)
class SearchResponseSerializer(serializers.Serializer):
    """One ranked page of results across every content type, with facet counts."""

    language = serializers.ChoiceField(
        choices=Language.values, help_text="The language searched (also Content-Language)."
    )
    count = serializers.IntegerField(help_text="How many results match, at most 500.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = serializers.CharField(
        help_text="What was searched for: the words typed, or their corrected spelling."
    )
    suggestion = serializers.CharField(
        allow_null=True,
        help_text='"Did you mean": the corrected words when some looked misspelled and the '
        "results are for them; otherwise null.",
    )
    facets = FacetsSerializer(
        help_text="How many of the matches (with the filters given) have each type, condition "
        "and topic, most first: for filter chips."
    )
    results = SearchResultSerializer(many=True)


class CompletionSerializer(serializers.Serializer):
    type = ResultTypeField()
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)

    def to_representation(self, document):
        return {
            "type": document.type,
            "slug": document.slug,
            "title": document.title,
            "url": detail_url(document, self.context),
        }


# One object, although it answers the list action: not wrapped in an array.
@extend_schema_serializer(many=False)
class SuggestResponseSerializer(serializers.Serializer):
    """Completions of what has been typed so far."""

    language = serializers.ChoiceField(
        choices=Language.values, help_text="The language of the titles (also Content-Language)."
    )
    query = serializers.CharField(help_text="The words the completions were found for.")
    suggestions = CompletionSerializer(
        many=True, help_text="Up to 8 published items whose titles complete the words."
    )
