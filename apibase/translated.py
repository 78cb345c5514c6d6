"""
What answers in more than one language share: the viewset side of negotiating the language
(`?lang=`, Accept-Language, `?fallback=`) and the fields every translated item says itself
(`language`, `is_fallback`, `translations`). Content types, conditions, topics and images use
them; which translations are published is their QuerySet's `in_language()`
(publishing/translatable.py).
"""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_PARAMETER,
    LANGUAGE_PARAMETERS,
    negotiate,
    set_language_headers,
)
from publishing.translatable import translation_languages


class TranslationLinkSerializer(serializers.Serializer):
    language = serializers.CharField(read_only=True, help_text="`en` or `es`.")
    url = serializers.URLField(read_only=True, help_text="The item's detail in that language.")


class TranslatedSerializer(serializers.Serializer):
    """
    An item in the language the request negotiated (`lang`, in the context), or in English
    where its translation is not published: the text fields hold that language's text.
    """

    language = serializers.SerializerMethodField(
        help_text="The language of the item's text: `en` or `es`."
    )
    is_fallback = serializers.SerializerMethodField(
        help_text="True when the language asked for has no published translation of the "
        "item, so it is in English instead."
    )
    translations = serializers.SerializerMethodField(
        help_text="The item's other languages, each with the address of its detail in it."
    )

    def to_representation(self, item):
        language = self.served_language(item)
        # django-modeltranslation reads `title` from `title_es` while Spanish is active.
        with translation.override(language):
            data = super().to_representation(item)
        if language != DEFAULT_LANGUAGE and "glossary_terms" in data:
            data["glossary_terms"] = []  # the glossary is English: nothing is marked
        return data

    def requested_language(self):
        return self.context.get(LANGUAGE_PARAMETER, DEFAULT_LANGUAGE)

    def served_language(self, item):
        requested = self.requested_language()
        return requested if requested in self.item_languages(item) else DEFAULT_LANGUAGE

    def item_languages(self, item):
        """English, then each language the item's translation is published in."""
        translated = (code for code in translation_languages() if self._translated(item, code))
        return [DEFAULT_LANGUAGE, *translated]

    def _translated(self, item, code):
        # Annotated by the QuerySet's in_language(); without it, nothing is translated.
        return getattr(item, f"translated_{code}", False)

    def get_language(self, item) -> str:
        return self.served_language(item)

    def get_is_fallback(self, item) -> bool:
        return self.served_language(item) != self.requested_language()

    @extend_schema_field(TranslationLinkSerializer(many=True))
    def get_translations(self, item):
        request = self.context.get("request")
        path = reverse(f"{item.reference_type}-detail", kwargs={"slug": item.slug})
        served = self.served_language(item)
        return [
            {
                "language": code,
                "url": request.build_absolute_uri(f"{path}?{LANGUAGE_PARAMETER}={code}"),
            }
            for code in self.item_languages(item)
            if code != served
        ]


# Fields of the translated serializers, after their own.
TRANSLATION_FIELDS = ["language", "is_fallback", "translations"]


class TranslatedViewSetMixin:
    """
    A viewset of items in the language negotiated by `?lang=` or Accept-Language: each in
    English where its translation is not published, or, with `?fallback=false`, not at all.
    Answers say their language in Content-Language.
    """

    # Query parameters of every action, besides those of the list's FilterSet (api/filtering.py).
    query_parameters = LANGUAGE_PARAMETERS
    negotiated = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.negotiated = negotiate(request)

    def filter_queryset(self, queryset):
        negotiated = self.negotiated
        queryset = queryset.in_language(negotiated.language, fallback=negotiated.fallback)
        return super().filter_queryset(queryset)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.negotiated is not None:
            context[LANGUAGE_PARAMETER] = self.negotiated.language
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.negotiated is not None and response.status_code == 200:
            set_language_headers(response, ", ".join(self.answer_languages(response.data)))
        return response

    def answer_languages(self, data):
        """The languages of the answer's items; in a list, the one asked for first."""
        items = (data,) if self.detail else data.get("results", ())
        found = [item["language"] for item in items if "language" in item]
        if self.detail and found:
            return found
        return list(dict.fromkeys([self.negotiated.language, *found]))
