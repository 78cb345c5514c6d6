"""
What a model translated with a workflow has: the digest its translations are signed off
against, the translated text's digest, and the QuerySet reads of which translations are
published. Content types (content/models.py), conditions, topics and safety notices
(taxonomy) and images share it; publishing.models.Translation holds each translation's state.

Which model a Translation's `kind` is: publishing/kinds.py.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils import translation as i18n

from publishing.models import Translation


def translation_languages():
    """The languages text is translated into: every language but the default, English."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def translated_columns(model, name):
    """Return the names of the columns holding `name` translated (`body_es` ...), if any."""
    names = {field.name for field in model._meta.concrete_fields}
    return [f"{name}_{code}" for code in translation_languages() if f"{name}_{code}" in names]


def text_digest(values):
    """Return a digest of field values: what a sign-off covers."""
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class TranslatedQuerySet(models.QuerySet):
    def in_language(self, language, *, fallback=True):
        """
        Mark each item `translated_<code>` for each language its translation is published in;
        without `fallback`, keep only the items published in `language`. English is every
        item's own language.
        """
        if not self.model.translated_reviewed_fields():
            return self  # a model not translated yet: English only
        queryset = self.annotate(
            **{
                f"translated_{code}": Exists(
                    Translation.objects.published_in(code, self.model.reference_type)
                )
                for code in translation_languages()
            },
            **self._related_translations(),
        )
        if fallback or language not in translation_languages():
            return queryset
        return queryset.filter(**{f"translated_{language}": True})

    def _related_translations(self):
        """
        Annotate `<field>_translated_<code>` for each foreign key to a translated model (a
        hero image): whether the related row's translation is published, read in the same
        query as the item (see images.serializers.ImageSerializer).
        """
        annotations = {}
        for field in self.model._meta.concrete_fields:
            related = field.related_model if field.many_to_one else None
            if related is None or not issubclass(related, TranslatedText):
                continue
            if not related.translated_reviewed_fields():
                continue
            for code in translation_languages():
                annotations[f"{field.name}_translated_{code}"] = Exists(
                    Translation.objects.published_in(
                        code, related.reference_type, OuterRef(field.attname)
                    )
                )
        return annotations

    def with_translation_dates(self):
        """
        Annotate `translated_<code>_at`: when the item's published translation into each
        language last changed, None without one (and for a model not translated yet).
        """
        if not self.model.translated_reviewed_fields():
            return self
        return self.annotate(
            **{
                f"translated_{code}_at": Subquery(
                    Translation.objects.published_in(code, self.model.reference_type).values(
                        "updated_at"
                    )[:1]
                )
                for code in translation_languages()
            }
        )


class TranslatedText(models.Model):
    """
    Text whose translations are signed off against a digest of it: a translation is out of
    date once the English text changes after its sign-off.
    """

    text_digest = models.CharField(
        max_length=64, editable=False, default="", help_text="Digest of the reviewed fields."
    )

    # Its type as Translation rows name it ("article", "condition" ...).
    reference_type = None
    # The text a medical reviewer signs off: a change to any of these needs a new sign-off.
    reviewed_fields = ()
    # Markdown columns (their HTML is rendered per language).
    markdown_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.text_digest = self.current_text_digest()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_digest"}
        super().save(*args, **kwargs)

    def current_text_digest(self):
        return text_digest({name: getattr(self, name) for name in self.reviewed_fields})

    @classmethod
    def translated_reviewed_fields(cls):
        """
        Return the reviewed fields a translation has: those with columns per language. A
        study's design, evidence level and citation are not text to translate, only facts.
        """
        return [name for name in cls.reviewed_fields if translated_columns(cls, name)]

    def translated_text_digest(self, language):
        """Return the digest of the reviewed fields' translation: what its sign-off covers."""
        return text_digest(
            {
                name: getattr(self, f"{name}_{language}") or ""
                for name in self.translated_reviewed_fields()
            }
        )

    def untranslated_fields(self, language):
        """
        Return the translated fields still empty in `language` that are not in English: a
        translation needs them all (a summary without limitations needs none in Spanish).
        """
        return [
            name
            for name in self.translated_reviewed_fields()
            if getattr(self, f"{name}_{settings.LANGUAGE_CODE}", None)
            and not getattr(self, f"{name}_{language}", None)
        ]

    def served_language(self, language=None):
        """
        The language to read this item in: `language` (the active one by default) if its
        translation is published, as `in_language()` annotated, else English.
        """
        language = language or i18n.get_language()
        if language in translation_languages() and getattr(self, f"translated_{language}", False):
            return language
        return settings.LANGUAGE_CODE
