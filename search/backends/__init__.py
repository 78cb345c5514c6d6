"""
Search behind one function that dispatches on the database vendor.

`search(documents, text, language)` does what both engines share: splitting the words,
correcting misspellings against the language's vocabulary, expanding its synonyms; only the
documents of that language are searched (English unless said otherwise). Each backend then
matches and ranks inside its database (PostgreSQL: weighted tsvector, GIN, ts_rank_cd,
ts_headline, pg_trgm; SQLite: FTS5, bm25, snippet) and is given the documents already
filtered, so that filters apply before ranking. Scores mean the same on both:

    8 if the words appear as typed, as a phrase
  + 4 if every word (or a synonym of it) appears
  + 2 if every word appears in the title
  + 1 if a word appears in the title
  + 1 if one appears in the summary or the names of the item's conditions and topics
  + 0.5 if every word appears as typed, not only as a synonym
  + 2 times the share of a sentence's words (stop words too) that start words of the title
  + 2 times the square of the share of the counted words (below) found in the title
  + the engine's own relevance, scaled into [0, 1)

The bonuses count only the words that carry meaning ("get" and "work" do not), and a match in
the descriptions of the item's conditions and topics earns none.

A document must match all of one or two words typed, two of three, three of four, and so on,
counting only words the index has and that carry meaning; a question (a query phrased as a
sentence) half of the words the index has, rounded up, common ones too (see `search.query`).
"""

import time
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Q

from search.backends import postgresql, sqlite
from search.languages import ENGLISH
from search.models import VOCABULARY_MEMORY as _vocabulary
from search.models import SearchDocument, SearchTag, SearchWord
from search.query import Synonyms, Vocabulary, correctable, indexable, parse, stem_prefix, terms
from search.registry import score_factor
from taxonomy.models import synonym_groups
from telemetry.metrics import SEARCH_DURATION, SEARCH_ZERO_RESULTS

MAX_HITS = 500
BACKENDS = {"postgresql": postgresql, "sqlite": sqlite}
# How long a process keeps the synonym list before reading it again. A process forgets it at
# once when it saves a synonym, condition or topic itself; other processes within this time.
SYNONYMS_SECONDS = 30
# {language code: (synonyms, when they expire)}
_synonyms = {}


# The vocabulary counts read at the current generation, by prefix, are kept in
# search.models.VOCABULARY_MEMORY; writers to the index forget them (forget_vocabulary()).
REMEMBERED_PREFIXES = 4096
_generation = ContextVar("search_generation", default=None)


def current_synonyms(language=ENGLISH):
    """
    The language's synonyms, read at most every SYNONYMS_SECONDS: a search costs no query
    for them. Each language has its own list, edited in the admin (and in English the tags'
    names too).
    """
    now = time.monotonic()
    remembered = _synonyms.get(language.code)
    if remembered is None or now >= remembered[1]:
        groups = synonym_groups(language.code)
        remembered = _synonyms[language.code] = (
            Synonyms(groups, language),
            now + SYNONYMS_SECONDS,
        )
    return remembered[0]


def forget_synonyms(**kwargs):
    """Read the synonym lists again at the next search (a signal receiver)."""
    _synonyms.clear()


def backend():
    return BACKENDS[connection.vendor]


@dataclass(frozen=True)
class Hit:
    id: int
    object_id: int
    type: str
    score: float


class SearchResults(Sequence):
    """
    Documents ranked for a query, best first, at most `MAX_HITS` of them.

    The ranking runs when first needed, so that `show(start, stop)` can say beforehand which
    slice will be shown: an engine that can then returns that slice in full, snippets
    included, with the ranking. Slicing otherwise loads only that slice, with its snippets;
    `facets()` counts the documents matched by type, condition and topic.
    """

    def __init__(self, documents, parsed, typed_text, analysed_in=0.0):
        self.documents = documents
        self.parsed = parsed
        self.typed_text = typed_text
        self.analysed_in = analysed_in  # seconds spent analysing the words, for the metric
        self.window = None
        self._ranked = None

    def show(self, start, stop):
        """Say that hits start..stop-1 will be shown, before anything is read."""
        self.window = (start, stop)

    @property
    def hits(self):
        if self._ranked is None:
            self._ranked = self._rank()
        return self._ranked[0]

    @property
    def tags(self):
        """(facet, slug, name, count) of the hits, as the engine counted them, or None."""
        self.hits  # noqa: B018  (ranks first)
        return self._ranked[1]

    def _rank(self):
        started = time.perf_counter()
        if self.parsed:
            rows, tags, shown = backend().rank(
                self.documents, self.parsed, MAX_HITS, window=self.window
            )
        else:
            rows, tags, shown = [], [], {}
        SEARCH_DURATION.observe(self.analysed_in + time.perf_counter() - started)
        if not rows:
            SEARCH_ZERO_RESULTS.inc()
        hits = [Hit(*row) for row in rows]
        if any(score_factor(hit.type) != 1.0 for hit in hits):
            hits = [replace(hit, score=hit.score * score_factor(hit.type)) for hit in hits]
            # Stable: equal scores keep the engine's order. A page the engine read beside the
            # ranking may no longer be the page shown: __getitem__ then reads the one shown.
            hits.sort(key=lambda hit: -hit.score)
        return hits, tags, shown

    @property
    def query(self):
        """What was searched: the corrected words when there were any and they found results."""
        return self.parsed.text if self.parsed.corrected and self.hits else self.typed_text

    @property
    def suggestion(self):
        if self.parsed.unanswerable:
            # Nothing answers the question; the words the index does know may.
            return self.parsed.remaining_text
        return self.parsed.text if self.parsed.corrected and self.hits else None

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, index):
        hits = self.hits[index] if isinstance(index, slice) else [self.hits[index]]
        loaded = self._ranked[2]
        if not all(hit.id in loaded for hit in hits):
            loaded = {
                document.id: document
                for document in backend().with_snippets(
                    SearchDocument.objects.filter(id__in=[hit.id for hit in hits]).only(
                        "type", "slug", "title", "summary"
                    ),
                    self.parsed,
                )
            }
        page = []
        for hit in hits:
            document = loaded[hit.id]
            document.score = round(hit.score, 6)
            page.append(document)
        return page if isinstance(index, slice) else page[0]

    def facets(self):
        """Count the matched documents by type, and by each condition and topic they carry."""
        types = Counter(hit.type for hit in self.hits)
        counted = self.tags
        if counted is None:
            counted = list(
                SearchTag.objects.filter(document_id__in=[hit.id for hit in self.hits])
                .values_list("facet", "slug", "name")
                .annotate(count=Count("document_id", distinct=True))
            )
        tags = [
            {"facet": facet, "slug": slug, "name": name, "count": n}
            for facet, slug, name, n in sorted(counted, key=lambda tag: (-tag[3], tag[2]))
        ]
        return {
            "type": [
                {"value": name, "count": n}
                for name, n in sorted(types.items(), key=lambda item: (-item[1], item[0]))
            ],
            "condition": [
                {"value": t["slug"], "name": t["name"], "count": t["count"]}
                for t in tags
                if t["facet"] == SearchTag.Facet.CONDITION
            ],
            "topic": [
                {"value": t["slug"], "name": t["name"], "count": t["count"]}
                for t in tags
                if t["facet"] == SearchTag.Facet.TOPIC
            ],
        }


def vocabulary_near(words, language=ENGLISH):
    """
    The language's words in the index that begin like any of the words or their stems, with
    how many documents have each, and how many documents there are: one query at most, none
    when the same words were searched at the same content generation (see `at_generation`).
    """
    prefixes = {stem_prefix(word, language) for word in words if indexable(word)}
    generation = _generation.get()
    remembered = _vocabulary.get(language.code)
    if generation is None or remembered is None or remembered[0] != generation:
        remembered = (generation, None, {})
    _, total, known = remembered
    if len(known) > REMEMBERED_PREFIXES:
        total, known = None, {}
    missing = prefixes - known.keys()
    if missing or total is None:
        near = Q(word=SearchWord.TOTAL)
        for prefix in missing:
            # A range rather than LIKE, so that both databases use the primary key's index.
            near |= Q(word__gte=prefix, word__lt=prefix + "\uffff")
        rows = dict(
            SearchWord.objects.filter(near, language=language.code).values_list("word", "documents")
        )
        total = rows.pop(SearchWord.TOTAL, 0)
        known = dict(known)
        for prefix in missing:
            known[prefix] = {word: n for word, n in rows.items() if word.startswith(prefix)}
        if generation is not None:
            # One tuple replaced whole: threads of a worker never see half of it.
            _vocabulary[language.code] = (generation, total, known)
    counts = {word: n for prefix in prefixes for word, n in known[prefix].items()}
    return Vocabulary(counts, total=total, language=language)


@contextmanager
def at_generation(generation):
    """
    Searches in the block are answered at this content generation: the vocabulary read for
    them is remembered until it moves (or until this process writes to the index).
    """
    token = _generation.set(generation)
    try:
        yield
    finally:
        _generation.reset(token)


def analyse(text, language=ENGLISH):
    """Return the query to search for the text: corrected, with synonyms expanded."""
    typed = terms(text, language)
    synonyms = current_synonyms(language) if typed else Synonyms([], language)
    typed_words = {word for term in typed for word in term.words}
    vocabulary = vocabulary_near(typed_words | synonyms.related_words(typed_words), language)
    candidates = {
        term.words[0]
        for term in typed
        if not term.quoted
        and correctable(term.words[0], language)
        and term.words[0] not in synonyms.words
        and not vocabulary.knows(term.words[0])
    }
    corrections = backend().corrections(candidates, language) if candidates else {}
    vocabulary.add(corrections.values())  # corrections are vocabulary words
    return parse(typed, synonyms, corrections, vocabulary)


def search(documents, text, language=ENGLISH):
    """
    Rank the documents (a filtered SearchDocument QuerySet) of the language for the text
    typed.
    """
    started = time.perf_counter()
    parsed = analyse(text, language)
    # The words as typed, accents and all: what `query` shows when nothing was corrected.
    typed = " ".join(word for term in terms(text) for word in term.words)
    documents = documents.in_language(language.code)
    return SearchResults(documents, parsed, typed, time.perf_counter() - started)


def suggest(documents, text, limit, language=ENGLISH):
    """Return up to `limit` documents of the language whose titles complete the words typed."""
    typed = [word for term in terms(text, language) for word in term.words]
    if not typed:
        return []
    found = backend().complete(documents.in_language(language.code), typed, limit * 5)
    prefix = " ".join(typed)
    found.sort(
        key=lambda d: (
            not language.fold(d.title.lower()).startswith(prefix),
            prefix not in language.fold(d.title.lower()),
            len(d.title),
            d.title,
        )
    )
    return found[:limit]
