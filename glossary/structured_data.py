"""Glossary entries as schema.org DefinedTerm, each in the clinic's DefinedTermSet."""

from django.urls import reverse

from content.structured_data import creative_work_properties, json_ld

TERM_SET_NAME = "Glossary of ketamine treatment terms"


def defined_term(entry, request):
    """Describe the term: its name, other names, definition and the glossary it belongs to."""
    page = creative_work_properties(entry, request)
    return json_ld(
        "DefinedTerm",
        url=page["url"],
        name=entry.term,
        alternateName=[*entry.abbreviations, *entry.other_names],
        termCode=entry.slug,
        description=entry.definition,
        inDefinedTermSet={
            "@type": "DefinedTermSet",
            "name": TERM_SET_NAME,
            # A DefinedTerm has no inLanguage in schema.org; its set, a CreativeWork, does.
            "inLanguage": page["inLanguage"],
            "url": request.build_absolute_uri(reverse("glossary-list")),
        },
    )
