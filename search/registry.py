"""Which models are searchable, and under which result type: every registered content type."""

from dataclasses import dataclass

from content import registry

# The languages a translation can be indexed in (search.languages); English is the item's own.
TRANSLATED_LANGUAGES = ("es",)


@dataclass(frozen=True)
class IndexComponents:
    """What an item contributes to the index, slot by slot (see `search.models.Weight`)."""

    title: str
    summary: str
    body: str


def score_factor(result_type):
    """How much a result of this type counts (a glossary entry's 0.5 ranks it below others)."""
    try:
        return registry.get(result_type).search_score_factor
    except KeyError:
        return 1.0


def type_of(model):
    return registry.for_model(model).name


def translations_of(item):
    """The (language code, IndexComponents) of the item's published translations, if any."""
    index_translations = getattr(item, "index_translations", None)
    if index_translations is None:
        return []
    return [
        (language, components)
        for language, components in index_translations()
        if language in TRANSLATED_LANGUAGES
    ]


def searchable_models():
    """
    Return {model: result type} of every content type.

    Each must define `index_components()` returning `IndexComponents` of its own (English)
    text, and have `conditions` and `topics` relations; search/apps.py connects the index to
    its saves. A model with translations also defines `index_translations()`, returning an
    iterable of `(language code, IndexComponents)`, one for each *published* translation
    ("es" for Spanish; other codes are ignored): each becomes a document of that language,
    searched with `?lang=`. Saving the item re-indexes them all, so a translation that lives in
    another model must save its item (or call `search.indexing.index_item()`) when it changes.
    """
    return {content_type.model: content_type.name for content_type in registry.content_types()}
