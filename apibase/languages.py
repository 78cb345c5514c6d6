"""
Which language an answer is in: `?lang=` first, then the Accept-Language header, else English.

The answer cache (api/conditional.py) keys on `header_language()` as well as the address, so
a cached answer is never served in another language than the one asked for.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from apibase.problems import InvalidQueryParameters

LANGUAGE_PARAMETER = "lang"
FALLBACK_PARAMETER = "fallback"
LANGUAGE_PARAMETERS = (LANGUAGE_PARAMETER, FALLBACK_PARAMETER)
DEFAULT_LANGUAGE = "en"


def supported_languages():
    return [code for code, _name in settings.LANGUAGES]


def translation_languages():
    """The languages content is translated into: all but English, which every entry has."""
    return [code for code in supported_languages() if code != DEFAULT_LANGUAGE]


def header_language(request):
    """Return the supported language the Accept-Language header prefers, else English."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    # Django's parser orders by quality; a malformed header is no preference at all.
    for code, quality in parse_accept_lang_header(header):
        if code == "*" or quality <= 0:  # q=0: "not acceptable"; nothing after it is wanted
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Negotiated:
    language: str
    # False only with `?fallback=false`: an item missing in `language` is left out, not
    # answered in English.
    fallback: bool = True


def negotiate(request):
    """Return the language asked for; a 400 for a language or fallback value not supported."""
    params = request.GET
    errors = {}
    language = params.get(LANGUAGE_PARAMETER)
    if language is None:
        language = header_language(request)
    elif language not in supported_languages():
        errors[LANGUAGE_PARAMETER] = [
            f"Not a supported language; give one of {', '.join(supported_languages())}."
        ]
    fallback = params.get(FALLBACK_PARAMETER, "true")
    if fallback not in {"true", "false"}:
        errors[FALLBACK_PARAMETER] = ["Give true or false."]
    if errors:
        raise InvalidQueryParameters(errors)
    return Negotiated(language, fallback == "true")
