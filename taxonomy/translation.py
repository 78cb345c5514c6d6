"""
The columns of conditions', topics' and safety notices' translations (django-modeltranslation).

Their state and sign-off are publishing.models.Translation, as for content (see Tag's and
SafetyNotice's docstrings for why tags have the medical sign-off too). Other names and
clinical codes are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from taxonomy.models import Condition, SafetyNotice, Topic


@register(Condition)
class ConditionTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(SafetyNotice)
class SafetyNoticeTranslationOptions(TranslationOptions):
    fields = ("title", "body", "body_html")
