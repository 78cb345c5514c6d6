"""
schema.org JSON-LD of content, for the frontend to embed as it is: the parts every type shares.

A property with no value is left out, never null or empty: an empty property is invalid for
search engines' rich results, where a missing optional one is not.
"""

import json

from django.conf import settings

from apibase.languages import DEFAULT_LANGUAGE, LANGUAGE_PARAMETER, LANGUAGES
from content import registry
from entries.references import api_url
from taxonomy.models import served_name

SCHEMA_ORG = "https://schema.org"

# Characters that could end the script element or open markup inside it, written as the JSON
# escapes that mean the same characters (as Django's json_script does).
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

# Clinical codes of a condition, by field, with the coding system schema.org names them in.
CODING_SYSTEMS = {"icd10cm": "ICD-10-CM", "snomed_ct": "SNOMED CT", "mesh": "MeSH"}


def json_ld_schema(schema_type, always=(), in_language=True):
    """Describe, for OpenAPI, the JSON-LD document of one schema.org type (and the text
    properties it `always` has; `inLanguage` unless the type has no such property)."""
    language = {
        "type": "string",
        "enum": list(LANGUAGES),
        "description": "The language of this answer, and so of `url`'s page.",
    }
    language_properties = {"inLanguage": language} if in_language else {}
    return {
        "type": "object",
        "description": f"A schema.org {schema_type} as JSON-LD, to embed as it is in the "
        "page's `application/ld+json` script element. Properties without a value are left out.",
        "properties": {
            "@context": {"type": "string", "enum": [SCHEMA_ORG]},
            "@type": {"type": "string", "enum": [schema_type]},
            "url": {
                "type": "string",
                "format": "uri",
                "description": "The item's page in the answer's language (`?lang=es` added "
                "for Spanish).",
            },
            **{name: {"type": "string", "minLength": 1} for name in always},
            **language_properties,
        },
        "required": ["@context", "@type", "url", *always, *language_properties],
        "additionalProperties": True,
    }


def json_ld(schema_type, **properties):
    """Return a JSON-LD document of this type, without the properties that have no value."""
    return compact({"@context": SCHEMA_ORG, "@type": schema_type, **properties})


def script_text(document):
    """Return the document as JSON to put, unchanged, inside <script type="application/ld+json">."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)


def compact(value):
    """Drop None, empty strings, lists and objects, at any depth."""
    if isinstance(value, dict):
        value = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in value.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in map(compact, value) if item not in (None, "", [], {})]
    return value


def page_url(item, request, language=DEFAULT_LANGUAGE):
    """
    Return the absolute address of the item's page in this language: on the frontend when
    one is set. The language is the API's `lang` parameter on either, left out for English.
    """
    if settings.FRONTEND_BASE_URL:
        path = registry.for_model(item).frontend_path.format(slug=item.slug)
        return language_address(settings.FRONTEND_BASE_URL + path, language)
    return language_address(api_url(request, item), language)


def language_address(address, language):
    """Return the address of the English page's version in this language."""
    if language == DEFAULT_LANGUAGE:
        return address
    separator = "&" if "?" in address else "?"
    return f"{address}{separator}{LANGUAGE_PARAMETER}={language}"


def medical_condition(condition):
    return {
        "@type": "MedicalCondition",
        "name": served_name(condition),
        "code": [
            {"@type": "MedicalCode", "codeValue": code, "codingSystem": system}
            for field, system in CODING_SYSTEMS.items()
            if (code := getattr(condition, field))
        ],
    }


def creative_work_properties(item, request, language=DEFAULT_LANGUAGE):
    """
    Return what any content item says of itself: its language and address in it, dates and
    what it is about.
    """
    return {
        "inLanguage": language,
        "url": page_url(item, request, language),
        "datePublished": item.published_at.isoformat() if item.published_at else None,
        "dateModified": item.updated_at.isoformat(),
        "about": [medical_condition(condition) for condition in item.condition_tags],
        "keywords": ", ".join(served_name(topic) for topic in item.topic_tags),
    }


def medical_review_properties(item):
    """
    Return the medical review as a web page states it: lastReviewed and reviewedBy.

    Only a real reviewer's sign-off is stated: a placeholder's is no review to claim.
    """
    sign_off = item.sign_off if item.sign_off_id is not None else None
    reviewer = sign_off.reviewer if sign_off is not None else None
    if reviewer is None or reviewer.is_placeholder:
        return {"lastReviewed": None, "reviewedBy": None}
    person = {"@type": "Person", "name": reviewer.name}
    if reviewer.credentials:
        person["honorificSuffix"] = reviewer.credentials
    if reviewer.profile_url:
        person["url"] = reviewer.profile_url
    return {
        "lastReviewed": item.last_reviewed.isoformat() if item.last_reviewed else None,
        "reviewedBy": person,
    }
