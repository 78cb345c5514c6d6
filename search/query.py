"""
Turn what someone typed into what the engines search for, the same way on every database.

Any text is valid input. It is reduced to words of letters and digits (quotes keep a phrase
together), misspelled words are corrected against the index's vocabulary, and every word or
phrase with a synonym becomes a group of alternatives. The engines receive only these words,
never the raw text, so no operator, quote or control character can reach a query parser.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

MAX_CHARS = 500
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")

# PostgreSQL's English stop words, so that both engines ignore the same words.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s don
    """.split()
)


def normalize(text):
    """Return the text without control or invisible characters, cut to a sane length."""
    text = unicodedata.normalize("NFKC", text or "")[: MAX_CHARS * 2]
    text = "".join(" " if unicodedata.category(char)[0] in {"C", "Z"} else char for char in text)
    return " ".join(text.split())[:MAX_CHARS]


def words(text):
    return [word.lower() for word in _WORD.findall(text)]


def content_words(phrase):
    return [word for word in phrase if word not in STOP_WORDS]


@dataclass(frozen=True)
class Term:
    """A word typed, or a quoted phrase."""

    words: tuple
    quoted: bool = False


def terms(text):
    """Split normalised text into terms: quoted phrases and single words."""
    found = []
    for quoted, bare in _TERM.findall(normalize(text)):
        if quoted:
            phrase = tuple(words(quoted))
            if phrase:
                found.append(Term(phrase, quoted=True))
        else:
            found.extend(Term((word,)) for word in words(bare))
    return found[:MAX_TERMS]


def correctable(word):
    return len(word) >= 4 and word.isalpha() and word not in STOP_WORDS


def best_correction(word, candidates):
    """
    Pick the closest vocabulary word: one edit for short words, two for longer ones, and the
    same first letter (rarely the one mistyped, and "horse" must not become "worse").
    """
    limit = 1 if len(word) <= 5 else 2
    scored = sorted(
        (OSA.distance(word, candidate), -len(_common_prefix(word, candidate)), candidate)
        for candidate in candidates
        if candidate != word and candidate[:1] == word[:1]
    )
    if scored and scored[0][0] <= limit:
        return scored[0][2]
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
    Alternatives reach one step further through entries without a sense ("PPD" to "postpartum
    depression" to a condition's "postnatal depression").
    """

    MAX_ALTERNATIVES = 12

    def __init__(self, groups):
        self.entries = {}
        for group in groups:
            # A stop word at either end is dropped by PostgreSQL but not by FTS5 ("S-ketamine"
            # would be plain "ketamine" on one of them): such names are left out.
            phrases = [
                phrase
                for phrase in (tuple(words(name)) for name in group.names)
                if phrase and phrase[0] not in STOP_WORDS and phrase[-1] not in STOP_WORDS
            ]
            if not phrases:
                continue
            sense = frozenset(word for name in group.sense for word in words(name))
            alternatives = frozenset(phrases)
            if group.direction == "to-term":
                term = tuple(words(group.names[0]))
                if term not in alternatives:
                    continue
                leading = [phrase for phrase in phrases if phrase != term]
            else:
                leading = phrases
            for phrase in leading:
                found = alternatives if group.direction != "to-term" else {phrase, term}
                self.entries.setdefault(phrase, []).append((frozenset(found), sense))
        self.longest = max((len(phrase) for phrase in self.entries), default=0)
        self.words = {word for phrase in self.entries for word in phrase}

    def alternatives(self, phrase, context):
        """The phrases searched for `phrase` in a query of the words `context`, or None."""
        entries = self.entries.get(phrase, [])
        chosen = [found for found, sense in entries if sense & context] or [
            found for found, sense in entries if not sense
        ]
        if not chosen:
            return None
        found = {phrase}.union(*chosen)
        for alternative in sorted(found - {phrase}):
            for further, sense in self.entries.get(alternative, []):
                if not sense:
                    found |= further
        return sorted(found, key=lambda p: (p != phrase, -len(p), p))[: self.MAX_ALTERNATIVES]

    def expand(self, sequence, context=frozenset()):
        """Split a word sequence into groups of alternative phrases, longest synonym first."""
        context = frozenset(context) | frozenset(sequence)
        groups, position = [], 0
        while position < len(sequence):
            for size in range(min(self.longest, len(sequence) - position), 0, -1):
                phrase = tuple(sequence[position : position + size])
                found = content_words(phrase) and self.alternatives(phrase, context)
                if found:
                    groups.append(found)
                    position += size
                    break
            else:
                groups.append([(sequence[position],)])
                position += 1
        return groups


@dataclass
class ParsedQuery:
    """What is searched: all of `groups` should match, each by any of its phrases."""

    words: list
    groups: list = field(default_factory=list)
    phrase: tuple = ()
    corrected: bool = False

    @property
    def text(self):
        return " ".join(self.words)

    @property
    def min_match(self):
        """How many groups a document must match: all of one or two, two of three, and so on."""
        return len(self.groups) - len(self.groups) // 3

    def __bool__(self):
        return bool(self.groups)


def parse(typed_terms, synonyms, corrections):
    """Apply corrections and synonyms to the terms; drop what only stop words make up."""
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
    groups = [kept for kept in ([p for p in group if content_words(p)] for group in groups) if kept]
    all_words = [word for term in corrected_terms for word in term.words]
    phrase = _trim_stop_words(all_words) if len(content_words(all_words)) >= 2 else ()
    return ParsedQuery(
        words=all_words,
        groups=groups,
        phrase=phrase,
        corrected=any(word in corrections for term in typed_terms for word in term.words),
    )


def _trim_stop_words(sequence):
    start, end = 0, len(sequence)
    while sequence[start] in STOP_WORDS:
        start += 1
    while sequence[end - 1] in STOP_WORDS:
        end -= 1
    return tuple(sequence[start:end])
