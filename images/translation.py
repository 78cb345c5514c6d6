"""
The columns of images' translated alt text (django-modeltranslation: `alt_text_es`).

Its state and sign-off are publishing.models.Translation, as for content. Captions and
credits are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from images.models import Image


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text",)
