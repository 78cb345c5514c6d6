"""
The columns of research summaries' translations (django-modeltranslation: `title_es` ...).

The plain-language text is translated; the study's facts are not: its design, evidence level,
sample size and citation stay as published, in every language. State and sign-off are
publishing.models.Translation, as for articles.
"""

from modeltranslation.translator import TranslationOptions, register

from research.models import ResearchSummary


@register(ResearchSummary)
class ResearchSummaryTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "summary",
        "body",
        "body_html",
        "body_text",
        "key_findings",
        "limitations",
        "population",
        "intervention",
        "comparator",
        "seo_title",
        "seo_description",
    )
