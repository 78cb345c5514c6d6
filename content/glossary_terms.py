"""
Glossary terms marked in content: what the renderer needs to know of the published glossary.

The glossary app registers its model here (`register_source()`), so that the renderer and
the content apps never import it. Marks are made when content is saved (render on save):
reads stay one query as before. When the set of published terms changes, the glossary app
re-renders what changed (glossary/marking.py).
"""

import html
import re
from dataclasses import dataclass

_SOURCE = {}
# A plural form: an "s" or "es" after the name, as in "receptors" or "synapses".
_PLURAL = "(?:e?s)?"


def register_source(model):
    """Take glossary terms from the published entries of `model`, with their names."""
    _SOURCE["model"] = model


def source_model():
    return _SOURCE.get("model")


@dataclass(frozen=True)
class Name:
    text: str
    slug: str
    term: str
    abbreviation: bool

    @property
    def opening_tag(self):
        slug = html.escape(self.slug)
        if self.abbreviation:
            return f'<abbr title="{html.escape(self.term)}" data-glossary="{slug}">'
        return f'<dfn data-glossary="{slug}">'

    @property
    def closing_tag(self):
        return "</abbr>" if self.abbreviation else "</dfn>"


class TermMatcher:
    """Find the first mention of each term: any of its names, in any case, singular or plural."""

    def __init__(self, entries):
        self.names = {}
        for slug, term, other_names, abbreviations in entries:
            for text, abbreviation in [
                (term, False),
                *((name, False) for name in other_names),
                *((name, True) for name in abbreviations),
            ]:
                text = " ".join(text.split())
                if text:
                    self.names.setdefault(text.casefold(), []).append(
                        Name(text, slug, term, abbreviation)
                    )
        alternatives = sorted(
            {name.text for names in self.names.values() for name in names}, key=len, reverse=True
        )
        self.pattern = (
            re.compile(
                r"(?<![\w-])("
                + "|".join(re.escape(text) for text in alternatives)
                + ")"
                + _PLURAL
                + r"(?![\w-])",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    def __bool__(self):
        return self.pattern is not None

    def find(self, text, marked):
        """Yield (start, end, Name) for terms not yet in `marked` (slugs), adding them to it."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            found = match.group(1)
            for name in self.names.get(" ".join(found.split()).casefold(), ()):
                # Abbreviations keep their capitals: "ECT" is one, "ect" is not.
                if name.slug in marked or (name.abbreviation and found != name.text):
                    continue
                marked.add(name.slug)
                yield match.start(), match.end(), name
                break


def published_terms():
    """Return a TermMatcher of the published glossary, empty if there is no glossary."""
    model = source_model()
    if model is None:
        return TermMatcher([])
    return TermMatcher(
        model.objects.published()
        .order_by("pk")
        .values_list("slug", "term", "other_names", "abbreviations")
    )
