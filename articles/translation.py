"""
The columns of articles' and FAQs' translations (django-modeltranslation: `title_es` ...).

Their state and sign-off are publishing.models.Translation. The SEO fields are translated so
that a Spanish page's head falls back to its Spanish title, not to the English SEO title.
"""

from modeltranslation.translator import TranslationOptions, register

from articles.models import FAQ, Article


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "summary",
        "body",
        "body_html",
        "body_text",
        "outline",
        "seo_title",
        "seo_description",
    )


@register(FAQ)
class FAQTranslationOptions(TranslationOptions):
    fields = ("question", "answer", "answer_html", "answer_text", "seo_title", "seo_description")
