"""The search endpoints: ranked results with facets, and search-as-you-type."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from apibase.languages import negotiated_language, set_language_headers
from search.backends import MAX_HITS, at_generation
from search.filters import SearchFilterSet, SuggestFilterSet
from search.models import SearchDocument
from search.serializers import (
    CompletionSerializer,
    SearchResponseSerializer,
    SearchResultSerializer,
    SuggestResponseSerializer,
)


class SearchViewSet(viewsets.GenericViewSet):
    serializer_class = SearchResultSerializer
    filterset_class = SearchFilterSet

    def get_queryset(self):
        return SearchDocument.objects.published()

    @extend_schema(
        summary="Search everything",
        operation_id="searchContent",
        responses=SearchResponseSerializer,
    )
    def list(self, request):
        """
        Find the best answers among articles, FAQs and research summaries, in one ranked list.

        Titles count more than summaries, summaries more than bodies; the words as a phrase
        more than all of them, all of them more than some. Words are stemmed ("infusions"
        finds "infusion"), synonyms and abbreviations work both ways ("PTSD" finds
        "post-traumatic stress disorder"), and naming a condition or topic favours what is
        tagged with it. A word that looks misspelled is corrected: `query` says what was
        searched and `suggestion` is set. `facets` counts the matches for filter chips. Only
        published content is searched.

        `lang=es` searches Spanish translations instead, with Spanish stemming, stop words,
        synonyms and spelling, accents ignored ("depresion" finds "depresión"); without
        `lang`, the language Accept-Language prefers among en and es, else en. `language` and
        the Content-Language header say which was searched.
        """
        # The generation the answer is cached under (api.conditional), if it is: the
        # vocabulary read for it can be remembered as long as the generation holds.
        validator = getattr(request, "content_validator", None)
        with at_generation(validator.changed_at if validator else None):
            results = self.filter_queryset(self.get_queryset())
        results.show(*self.page_window())
        page = self.paginate_queryset(results)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        results_data = response.data.pop("results")
        response.data.update(
            language=results.parsed.language.code,
            query=results.query,
            suggestion=results.suggestion,
            facets=results.facets(),
            results=results_data,
        )
        return set_language_headers(response, results.parsed.language.code)

    def page_window(self):
        """
        The positions of the hits on the page asked for, so that the ranking returns them in
        full; only a hint (the paginator still checks the page and answers for it).
        """
        size = self.paginator.get_page_size(self.request)
        raw = self.request.query_params.get(self.paginator.page_query_param, "1")
        number = int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_HITS else 1
        return (number - 1) * size, number * size


class SearchSuggestViewSet(viewsets.GenericViewSet):
    serializer_class = CompletionSerializer
    filterset_class = SuggestFilterSet
    pagination_class = None

    def get_queryset(self):
        return SearchDocument.objects.published()

    @extend_schema(
        summary="Complete a search as it is typed",
        operation_id="suggestSearches",
        responses=SuggestResponseSerializer,
    )
    def list(self, request):
        """
        Suggest published items whose titles complete the words typed so far, for a
        search-as-you-type box: cheap enough to call on every keystroke. `lang` chooses the
        language of the titles as in search.
        """
        completions = self.filter_queryset(self.get_queryset())
        language = negotiated_language(request)  # `lang` is valid once filtered
        response = Response(
            {
                "language": language,
                "query": " ".join(request.query_params["q"].split()),
                "suggestions": self.get_serializer(completions, many=True).data,
            }
        )
        return set_language_headers(response, language)
