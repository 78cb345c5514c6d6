"""
The search endpoints' parameters: the words, their language, result types, conditions and
topics.
"""

import django_filters

from apibase.languages import DEFAULT_LANGUAGE, negotiated_language
from content import registry
from entries.filters import ChoiceListFilter, SearchTextFilter, SlugListFilter
from search.backends import search, suggest
from search.languages import LANGUAGES
from search.models import Language, SearchDocument
from search.registry import searchable_models

Q_HELP = (
    "Words to search for, as typed: any text is accepted. Quotes keep a phrase together; "
    "misspelled words are corrected and synonyms understood."
)


LANG_HELP = (
    "The language searched, en or es: only documents in it are found, analysed as it is "
    "written (stemming, stop words, synonyms, spelling; accents are ignored in es). Without "
    "it, the language the Accept-Language header prefers among them, else en. The answer's "
    "Content-Language says which."
)


def result_types():
    return [(type_, type_) for type_ in sorted(searchable_models().values())]


class LanguageFilterSet(django_filters.FilterSet):
    """The `lang` parameter, and the language searched when it is not given."""

    lang = django_filters.ChoiceFilter(
        choices=[(code, code) for code in Language.values],
        method="filter_language",
        help_text=LANG_HELP,
    )

    @property
    def language(self):
        """`lang`, else the language the request's Accept-Language prefers, else English."""
        if self.request is None:
            return LANGUAGES[self.form.cleaned_data.get("lang") or DEFAULT_LANGUAGE]
        return LANGUAGES[negotiated_language(self.request)]

    def filter_language(self, queryset, name, value):
        return queryset.in_language(value)


class SearchFilterSet(LanguageFilterSet):
    q = SearchTextFilter(required=True, method="filter_search", help_text=Q_HELP)
    type = ChoiceListFilter(
        choices=result_types,
        method="filter_type",
        help_text=f"Result types, comma-separated: {', '.join(registry.TYPE_NAMES)}.",
    )
    condition = SlugListFilter(
        method="filter_condition",
        help_text="Condition slugs, comma-separated; results tagged with any of them.",
    )
    topic = SlugListFilter(
        method="filter_topic",
        help_text="Topic slugs, comma-separated; results tagged with any of them.",
    )

    class Meta:
        model = SearchDocument
        fields = []

    def filter_queryset(self, queryset):
        # Every filter narrows the documents first; the search then ranks what is left.
        data = self.form.cleaned_data
        for name, value in data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, data["q"])

    def filter_search(self, queryset, name, value):
        return search(queryset, value, self.language)

    def filter_type(self, queryset, name, value):
        return queryset.of_types(value)

    def filter_condition(self, queryset, name, value):
        return queryset.for_conditions(value)

    def filter_topic(self, queryset, name, value):
        return queryset.for_topics(value)


class SuggestFilterSet(LanguageFilterSet):
    q = SearchTextFilter(
        required=True,
        method="filter_complete",
        help_text="What has been typed so far; the last word may be unfinished.",
    )

    class Meta:
        model = SearchDocument
        fields = []

    def filter_queryset(self, queryset):
        return self.filters["q"].filter(queryset, self.form.cleaned_data["q"])

    def filter_complete(self, queryset, name, value):
        return suggest(queryset, value, limit=8, language=self.language)
