"""Which models are searchable, and under which result type: every registered content type."""

from dataclasses import dataclass

from content import registry


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


def searchable_models():
    """
    Return {model: result type} of every content type.

    Each must define `index_components()` returning `IndexComponents`, and have `conditions`
    and `topics` relations; search/apps.py connects the index to its saves.
    """
    return {content_type.model: content_type.name for content_type in registry.content_types()}
