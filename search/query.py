"""
Turn what someone typed into what the engines search for, the same way on every database.

Any text is valid input. It is reduced to words of letters and digits (quotes keep a phrase
together), split where FTS5 splits them, so "0.5 mg/kg" is the words 0, 5, mg and kg on both
databases. A word that is neither in the index's vocabulary, nor a form of a word in it, nor
a common English word is corrected against the vocabulary, and every word or phrase with a
synonym becomes a group of alternatives. The engines receive only these words, never the raw
text, so no operator, quote or control character can reach a query parser.

Each query is in one language (search.languages), whose stop words, stemmer, word
frequencies and synonyms are used throughout; English unless said otherwise.

Groups whose words the index has never seen are dropped. What remains decides the match rule:
all of one or two groups, two of three, and so on, counting only the groups that carry meaning
(not "get" or "work", which nearly any text has). A question, a query phrased as a sentence,
is asked in more words than it needs ("why does ketamine work for some people and not others"):
half of its words that the index has must match, common ones counted too. When the unseen words
are half of what the query means ("ketamine for migraine" on content that never mentions
migraine), the content does not answer it and nothing is returned.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from search.languages import ENGLISH

# Around a match in a snippet: characters no indexed text holds (indexing strips them).
MARK_START, MARK_END = "\ue000", "\ue001"

MAX_CHARS = 500
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")

# Zipf frequencies (wordfreq): at or above COMMON, a word is in nearly any text ("get", "work",
# "people") and does not count in the match rule; at or above REAL_WORD, a word is a real word
# of its language and is never "corrected" into another.
COMMON_ZIPF = 5.6
REAL_WORD_ZIPF = 3.0
# A word in more than this share of the documents (given enough of them to tell) carries no
# meaning either: on a ketamine clinic's site, "ketamine".
UBIQUITOUS_SHARE = 0.5
MIN_DOCUMENTS_FOR_SHARE = 20
# A query of this many words or more, stop words among them, is phrased as a sentence.
SENTENCE_WORDS = 3
# The score a title with all of a sentence's words earns (see search.backends).
SENTENCE_WEIGHT = 2
# The score a title earns times the square of the share of the counted groups it has: squared,
# so that a title with most of a question's words, asked the same way, comes first (see
# search.backends).
TITLE_SHARE_WEIGHT = 2


def normalize(text):
    """Return the text without control or invisible characters, cut to a sane length."""
    text = unicodedata.normalize("NFKC", text or "")[: MAX_CHARS * 2]
    text = "".join(" " if unicodedata.category(char)[0] in {"C", "Z"} else char for char in text)
    return " ".join(text.split())[:MAX_CHARS]


def words(text, language=ENGLISH):
    return [language.fold(word.lower()) for word in _WORD.findall(text)]


def content_words(phrase, language=ENGLISH):
    return [word for word in phrase if word not in language.ignored]


def stem_prefix(word, language=ENGLISH):
    """What the word and its other forms start with: "studies" and "study" start "stud"."""
    return _common_prefix(word, language.stem(word))


def indexable(word):
    """Whether the vocabulary can hold the word: letters only, three or more of them."""
    return len(word) >= 3 and word.isalpha()


def is_common(word, language=ENGLISH):
    return zipf_frequency(word, language.wordfreq) >= COMMON_ZIPF


class Vocabulary:
    """
    The index's words that begin like the words of a query, with how many documents have
    each: to tell which words the index has, and which nearly every document has.
    """

    def __init__(self, counts, total=0, language=ENGLISH):
        self.counts = dict(counts)
        self.total = total
        self.language = language
        self._stems = None

    @property
    def words(self):
        return self.counts.keys()

    def add(self, words):
        """Add words known to be in the index (corrections), their counts unknown."""
        for word in words:
            self.counts.setdefault(word, 0)
        self._stems = None

    def knows(self, word):
        """Whether the index has the word or another form of it; words it cannot hold count."""
        return (
            not indexable(word)
            or word in self.counts
            or self.language.stem(word) in self._stem_counts()
        )

    def knows_phrase(self, phrase):
        return all(self.knows(word) for word in content_words(phrase, self.language))

    def share(self, phrase):
        """
        About what share of the documents have the phrase (those with its rarest word, in its
        commonest form); 0 when unknown or in a collection too small to tell.
        """
        words = [word for word in content_words(phrase, self.language) if indexable(word)]
        if self.total < MIN_DOCUMENTS_FOR_SHARE or not words:
            return 0.0
        counts = self._stem_counts()
        return min(counts.get(self.language.stem(word), 0) for word in words) / self.total

    def _stem_counts(self):
        if self._stems is None:
            self._stems = {}
            for known, n in self.counts.items():
                key = self.language.stem(known)
                self._stems[key] = max(self._stems.get(key, 0), n)
        return self._stems


@dataclass(frozen=True)
class Term:
    """A word typed, or a quoted phrase."""

    words: tuple
    quoted: bool = False


def terms(text, language=ENGLISH):
    """Split normalised text into terms: quoted phrases and single words."""
    found = []
    for quoted, bare in _TERM.findall(normalize(text)):
        if quoted:
            phrase = tuple(words(quoted, language))
            if phrase:
                found.append(Term(phrase, quoted=True))
        else:
            found.extend(Term((word,)) for word in words(bare, language))
    return found[:MAX_TERMS]


def correctable(word, language=ENGLISH):
    """Long enough to be a misspelling of something, and not a word of the language."""
    return (
        len(word) >= 4
        and word.isalpha()
        and word not in language.ignored
        and zipf_frequency(word, language.wordfreq) < REAL_WORD_ZIPF
    )


def best_correction(word, candidates, language=ENGLISH):
    """
    Pick the closest vocabulary word: one edit for short words, two for longer ones, and the
    same first letter (rarely the one mistyped, and "horse" must not become "worse"). Between
    equally close words the longer shared start wins, then the more common word.
    """
    limit = 1 if len(word) <= 5 else 2
    scored = sorted(
        (
            OSA.distance(word, candidate),
            -len(_common_prefix(word, candidate)),
            -zipf_frequency(candidate, language.wordfreq),
            candidate,
        )
        for candidate in candidates
        if candidate != word and candidate[:1] == word[:1]
    )
    if scored and scored[0][0] <= limit:
        return scored[0][-1]
    return None


def _common_prefix(a, b):
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


class Synonyms:
    """
    Phrases that mean the same, from condition and topic names and the synonym list.

    A one-way synonym leads from its other names to its term only. A synonym limited to a
    sense applies only when the query has one of its sense words, and then in place of the
    entries for that phrase that have no sense: "BP" with "mania" is bipolar, not pressure.
    Alternatives do not lead on to their own alternatives: a chain of loose synonyms drifts.
    """

    MAX_ALTERNATIVES = 12

    def __init__(self, groups, language=ENGLISH):
        self.language = language
        self.entries = {}
        for group in groups:
            names = [
                phrase
                for phrase in (tuple(words(name, language)) for name in group.names)
                if phrase
            ]
            # A stop word at either end is dropped by PostgreSQL but not by FTS5 ("S-ketamine"
            # would be plain "ketamine" on one of them): such names are never searched for,
            # though typing one ("throwing up") still leads to the others.
            searchable = {phrase for phrase in names if _searchable(phrase, language)}
            if not names or not searchable:
                continue
            sense = frozenset(word for name in group.sense for word in words(name, language))
            if group.direction == "to-term":
                term = names[0]
                if term not in searchable:
                    continue
                leads = {phrase: {term} | ({phrase} & searchable) for phrase in names[1:]}
            else:
                leads = dict.fromkeys(names, searchable)
            for phrase, found in leads.items():
                self.entries.setdefault(phrase, []).append((frozenset(found), sense))
        self.longest = max((len(phrase) for phrase in self.entries), default=0)
        self.words = {word for phrase in self.entries for word in phrase}
        # For each word, every word of the alternatives of the phrases that contain it: worked
        # out once for the list, not by reading every entry on each search.
        self._related = {}
        for phrase, entries in self.entries.items():
            found = {word for alternatives, _ in entries for p in alternatives for word in p}
            for word in phrase:
                self._related.setdefault(word, set()).update(found)

    def alternatives(self, phrase, context):
        """The phrases searched for `phrase` in a query of the words `context`, or None."""
        entries = self.entries.get(phrase, [])
        chosen = [found for found, sense in entries if sense & context] or [
            found for found, sense in entries if not sense
        ]
        if not chosen:
            return None
        found = ({phrase} if _searchable(phrase, self.language) else set()).union(*chosen)
        return sorted(found, key=lambda p: (p != phrase, -len(p), p))[: self.MAX_ALTERNATIVES]

    def related_words(self, words):
        """Every word of the alternatives of the phrases that contain any of the words."""
        return set().union(*(self._related.get(word, ()) for word in words))

    def expand(self, sequence, context=frozenset()):
        """Split a word sequence into groups of alternative phrases, longest synonym first."""
        context = frozenset(context) | frozenset(sequence)
        groups, position = [], 0
        while position < len(sequence):
            for size in range(min(self.longest, len(sequence) - position), 0, -1):
                phrase = tuple(sequence[position : position + size])
                found = content_words(phrase, self.language) and self.alternatives(phrase, context)
                if found:
                    groups.append(found)
                    position += size
                    break
            else:
                groups.append([(sequence[position],)])
                position += 1
        return groups


def _searchable(phrase, language):
    return phrase[0] not in language.stop_words and phrase[-1] not in language.stop_words


@dataclass
class ParsedQuery:
    """
    What is searched: each of `groups` matches by any of its phrases, and a document must
    match `min_match` of the groups listed in `counted` (indexes into `groups`): those that
    carry meaning, or all of them for a question. Bonuses go by the groups in `weighed`: all
    but common words of the `language`.
    """

    words: list
    language: object = ENGLISH
    groups: list = field(default_factory=list)
    phrase: tuple = ()
    corrected: bool = False
    counted: list = field(default_factory=list)
    weighed: list = field(default_factory=list)
    # Words that carry meaning but appear nowhere in the index, not even as a synonym.
    unseen: list = field(default_factory=list)
    # True when the unseen words are half or more of what the query means: nothing answers it.
    unanswerable: bool = False
    # For a query phrased as a sentence, the starts of all its words, stop words included.
    sentence: tuple = ()
    # Phrased as a sentence: every group counts, and half of them must match (`min_match`).
    question: bool = False

    @property
    def text(self):
        return " ".join(self.words)

    @property
    def min_match(self):
        """
        How many counted groups a document must match: all of one or two, two of three...;
        half of them, rounded up, for a question.
        """
        if self.question:
            return (len(self.counted) + 1) // 2
        return len(self.counted) - len(self.counted) // 3

    @property
    def remaining_text(self):
        """The words typed without the unseen ones: what a searcher could try instead."""
        kept = [
            word for word in content_words(self.words, self.language) if word not in self.unseen
        ]
        return " ".join(kept) or None

    def __bool__(self):
        return bool(self.groups) and not self.unanswerable


def parse(typed_terms, synonyms, corrections, vocabulary):
    """
    Apply corrections and synonyms to the terms; drop what only stop words make up, and the
    groups the index has never seen; decide which groups the match rule counts. The language
    is the vocabulary's.
    """
    language = vocabulary.language
    corrected_terms = [
        term if term.quoted else Term((corrections.get(term.words[0], term.words[0]),))
        for term in typed_terms
    ]
    context = frozenset(word for term in corrected_terms for word in term.words)
    groups, run = [], []
    for term in [*corrected_terms, None]:
        if term is not None and not term.quoted:
            run.append(term.words[0])
            continue
        groups.extend(synonyms.expand(run, context))
        run = []
        if term is not None:
            groups.append([term.words])
    groups = [
        kept
        for kept in ([p for p in group if content_words(p, language)] for group in groups)
        if kept
    ]
    uncommon = [
        not all(
            is_common(word, language)
            for phrase in group
            for word in content_words(phrase, language)
        )
        for group in groups
    ]
    meaningful = [
        rare and max(vocabulary.share(phrase) for phrase in group) <= UBIQUITOUS_SHARE
        for group, rare in zip(groups, uncommon, strict=True)
    ]
    # A group is kept whole when the index has any of its phrases: the others match nothing.
    seen = [
        group if any(vocabulary.knows_phrase(phrase) for phrase in group) else []
        for group in groups
    ]
    unseen = [
        word
        for group, found, means in zip(groups, seen, meaningful, strict=True)
        if means and not found
        for word in content_words(group[0], language)
    ]
    kept = [
        (found, means, rare)
        for found, means, rare in zip(seen, meaningful, uncommon, strict=True)
        if found
    ]
    weighed = [i for i, (_, _, rare) in enumerate(kept) if rare] or list(range(len(kept)))
    counted = [i for i, (_, means, _) in enumerate(kept) if means] or weighed
    all_words = [word for term in corrected_terms for word in term.words]
    sentence = sentence_words(all_words, language)
    if sentence:
        # A question is asked in more words than it needs: any half of them may say what it
        # asks, common words ("work", "people") as well as rare ones.
        counted = list(range(len(kept)))
    phrase = (
        _trim_stop_words(all_words, language)
        if len(content_words(all_words, language)) >= 2
        else ()
    )
    unseen_groups = sum(
        1 for found, means in zip(seen, meaningful, strict=True) if means and not found
    )
    return ParsedQuery(
        language=language,
        sentence=sentence,
        question=bool(sentence),
        words=all_words,
        groups=[found for found, _, _ in kept],
        phrase=phrase,
        corrected=any(word in corrections for term in typed_terms for word in term.words),
        counted=counted,
        weighed=weighed,
        unseen=unseen,
        unanswerable=unseen_groups > 0 and 2 * unseen_groups >= sum(meaningful),
    )


def sentence_words(sequence, language=ENGLISH):
    """
    The stems that the words of a query phrased as a sentence start with, stop words included
    ("who should not get ketamine": who, should, not, get, ketamin); none for a few keywords.
    A title with most of them is asked the way the searcher asks: an FAQ's question.
    """
    if len(sequence) < SENTENCE_WORDS or not any(word in language.stop_words for word in sequence):
        return ()
    return tuple(
        sorted(
            {stem_prefix(word, language) for word in sequence if len(word) > 1 and word.isalpha()}
        )
    )


def _trim_stop_words(sequence, language):
    start, end = 0, len(sequence)
    while sequence[start] in language.stop_words:
        start += 1
    while sequence[end - 1] in language.stop_words:
        end -= 1
    return tuple(sequence[start:end])
