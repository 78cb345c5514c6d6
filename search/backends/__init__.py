"""
Search behind one function that dispatches on the database vendor.

`search(documents, text)` does what both engines share: splitting the words, correcting
misspellings against the vocabulary, expanding synonyms. Each backend then matches and ranks
inside its database (PostgreSQL: weighted tsvector, GIN, ts_rank_cd, ts_headline, pg_trgm;
SQLite: FTS5, bm25, snippet) and is given the documents already filtered, so that filters
apply before ranking. Scores mean the same on both:

    8 if the words appear as typed, as a phrase
  + 4 if every word (or a synonym of it) appears
  + 2 if every word appears in the title
  + 1 if a word appears in the title
  + 1 if one appears in the summary or the names of the item's conditions and topics
  + 0.5 if every word appears as typed, not only as a synonym
  + the engine's own relevance, scaled into [0, 1)

The bonuses count only the words that carry meaning ("get" and "work" do not), and a match in
the descriptions of the item's conditions and topics earns none.

A document must match all of one or two words typed, two of three, three of four, and so on,
counting only words the index has and that carry meaning (see `search.query`).
"""

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from search.backends import postgresql, sqlite
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
_synonyms = {"value": None, "expires": 0.0}


def current_synonyms():
    """The synonym list, read at most every SYNONYMS_SECONDS: a search costs no query for it."""
    now = time.monotonic()
    if _synonyms["value"] is None or now >= _synonyms["expires"]:
        _synonyms.update(value=Synonyms(synonym_groups()), expires=now + SYNONYMS_SECONDS)
    return _synonyms["value"]


def forget_synonyms(**kwargs):
    """Read the synonym list again at the next search (a signal receiver)."""
    _synonyms["value"] = None


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

    Slicing loads only that slice, with its snippets; `facets()` counts the documents
    matched by type, condition and topic.
    """

    def __init__(self, documents, parsed, hits, typed_text):
        self.documents = documents
        self.parsed = parsed
        self.hits = hits
        self.query = parsed.text if parsed.corrected and hits else typed_text
        if parsed.unanswerable:
            # Nothing answers the question; the words the index does know may.
            self.suggestion = parsed.remaining_text
        else:
            self.suggestion = parsed.text if parsed.corrected and hits else None

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, index):
        hits = self.hits[index] if isinstance(index, slice) else [self.hits[index]]
        scores = {hit.id: hit.score for hit in hits}
        loaded = {
            document.id: document
            for document in backend().with_snippets(
                SearchDocument.objects.filter(id__in=list(scores)), self.parsed
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
        tags = (
            SearchTag.objects.filter(document_id__in=[hit.id for hit in self.hits])
            .values("facet", "slug", "name")
            .annotate(count=Count("document_id", distinct=True))
            .order_by("-count", "name")
        )
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


def vocabulary_near(words):
    """
    The index's words that begin like any of the words or their stems, with how many
    documents have each, and how many documents there are: one query.
    """
    near = Q(word=SearchWord.TOTAL)
    for prefix in {stem_prefix(word) for word in words if indexable(word)}:
        # A range rather than LIKE, so that both databases use the primary key's index.
        near |= Q(word__gte=prefix, word__lt=prefix + "\uffff")
    counts = dict(SearchWord.objects.filter(near).values_list("word", "documents"))
    return Vocabulary(counts, total=counts.pop(SearchWord.TOTAL, 0))


def analyse(text):
    """Return the query to search for the text: corrected, with synonyms expanded."""
    typed = terms(text)
    synonyms = current_synonyms() if typed else Synonyms([])
    typed_words = {word for term in typed for word in term.words}
    vocabulary = vocabulary_near(typed_words | synonyms.related_words(typed_words))
    candidates = {
        term.words[0]
        for term in typed
        if not term.quoted
        and correctable(term.words[0])
        and term.words[0] not in synonyms.words
        and not vocabulary.knows(term.words[0])
    }
    corrections = backend().corrections(candidates) if candidates else {}
    vocabulary.add(corrections.values())  # corrections are vocabulary words
    return parse(typed, synonyms, corrections, vocabulary)


def search(documents, text):
    """Rank the documents (a filtered SearchDocument QuerySet) for the text typed."""
    started = time.perf_counter()
    parsed = analyse(text)
    rows = backend().rank(documents, parsed, MAX_HITS) if parsed else []
    hits = [Hit(*row) for row in rows]
    if any(score_factor(hit.type) != 1.0 for hit in hits):
        hits = [
            Hit(hit.id, hit.object_id, hit.type, hit.score * score_factor(hit.type)) for hit in hits
        ]
        # Stable: equal scores keep the engine's order.
        hits.sort(key=lambda hit: -hit.score)
    SEARCH_DURATION.observe(time.perf_counter() - started)
    if not hits:
        SEARCH_ZERO_RESULTS.inc()
    return SearchResults(
        documents, parsed, hits, " ".join(word for t in terms(text) for word in t.words)
    )


def suggest(documents, text, limit):
    """Return up to `limit` documents whose titles complete the words typed so far."""
    typed = [word for term in terms(text) for word in term.words]
    if not typed:
        return []
    found = backend().complete(documents, typed, limit * 5)
    prefix = " ".join(typed)
    found.sort(
        key=lambda d: (
            not d.title.lower().startswith(prefix),
            prefix not in d.title.lower(),
            len(d.title),
            d.title,
        )
    )
    return found[:limit]
