"""
The language an answer is in: the `lang` parameter if it names one the API has, else the
best of the request's Accept-Language that it has, else English.

One function, used by the answer cache (api.conditional's validators and keys, so that no
cached answer or ETag is shared between languages) and by each endpoint that answers in
more than one language. An unknown `lang` is the endpoint's own 400 (its FilterSet's, or
`negotiate()`'s); here it falls back to Accept-Language, so the validator is computed
before the view runs.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from apibase.problems import InvalidQueryParameters

# The API's languages: settings.LANGUAGES, which modeltranslation's columns follow too.
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "en"
LANGUAGE_PARAMETER = "lang"
FALLBACK_PARAMETER = "fallback"
LANGUAGE_PARAMETERS = (LANGUAGE_PARAMETER, FALLBACK_PARAMETER)


def negotiated_language(request):
    chosen = request.GET.get(LANGUAGE_PARAMETER)
    if chosen in LANGUAGES:
        return chosen
    return accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))


def accepted_language(header):
    """The language of LANGUAGES that the Accept-Language header prefers (RFC 9110 12.5.4)."""
    # Django's parser orders by quality, earlier tags first among equals; a malformed header
    # is no preference at all.
    for code, quality in parse_accept_lang_header(header):
        if code == "*" or quality <= 0:
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


def set_language_headers(response, language):
    """Say which language the answer is in, and that Accept-Language may change it."""
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response


@dataclass(frozen=True)
class Negotiated:
    language: str
    # False only with `?fallback=false`: an item missing in `language` is left out, not
    # answered in English.
    fallback: bool = True


def negotiate(request):
    """
    Return the language and fallback asked for, for a view that takes `lang` and `fallback`
    itself (content/views.py); a 400 naming a value it does not support.
    """
    params = request.GET
    errors = {}
    if params.get(LANGUAGE_PARAMETER, DEFAULT_LANGUAGE) not in LANGUAGES:
        errors[LANGUAGE_PARAMETER] = [
            f"Not a supported language; give one of {', '.join(LANGUAGES)}."
        ]
    fallback = params.get(FALLBACK_PARAMETER, "true")
    if fallback not in {"true", "false"}:
        errors[FALLBACK_PARAMETER] = ["Give true or false."]
    if errors:
        raise InvalidQueryParameters(errors)
    return Negotiated(negotiated_language(request), fallback == "true")
