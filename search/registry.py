"""Which models are searchable, and under which result type."""

from dataclasses import dataclass

_TYPES = {}
# Result types whose scores count for less, by type: see register().
_SCORE_FACTORS = {}


@dataclass(frozen=True)
class IndexComponents:
    """What an item contributes to the index, slot by slot (see `search.models.Weight`)."""

    title: str
    summary: str
    body: str


def register(model, score_factor=1.0):
    """
    Make a content model searchable, as results of its `reference_type` ("article").

    The model must define `index_components()` returning `IndexComponents`, and have
    `conditions` and `topics` relations; the index follows its saves from now on. A
    `score_factor` below 1 ranks its items below others that match as well: items that
    point readers on (a glossary definition) rather than answer them.
    """
    from search import indexing

    _TYPES[model] = model.reference_type
    if score_factor != 1.0:
        _SCORE_FACTORS[model.reference_type] = score_factor
    indexing.connect(model)


def score_factor(result_type):
    return _SCORE_FACTORS.get(result_type, 1.0)


def type_of(model):
    return _TYPES[model]


def searchable_models():
    return dict(_TYPES)
