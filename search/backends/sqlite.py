"""
SQLite: an FTS5 table over the documents (porter stemming, column weights in bm25, snippets),
another over titles alone for completions, and rapidfuzz for typos (migration 0002).

Spanish documents are in an FTS5 table of their own (migration 0007) that folds accents but
does not stem: FTS5's only stemmer is porter's, which is English. Each Spanish word is searched
for as its Snowball stem followed by anything ("depresiones" as depresion*, which finds
"depresión"), so that the original words are indexed and snippets show them as written.
"""

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from entries.orm_internals import queryset_sql
from search.languages import ENGLISH
from search.models import SearchWord
from search.query import (
    MARK_END,
    MARK_START,
    SENTENCE_WEIGHT,
    TITLE_SHARE_WEIGHT,
    best_correction,
)

# bm25 weights of the columns title, summary, tags, body, context.
WEIGHTS = "10.0, 4.0, 4.0, 1.0, 0.5"
SNIPPET_TOKENS = 30
# The FTS5 table of each language's documents.
TABLES = {"en": "search_fts", "es": "search_fts_es"}
# A stem shorter than this is searched for as the word itself: "us*" would find too much.
MIN_STEM_PREFIX = 3


def _phrase(words, language=ENGLISH):
    if language is ENGLISH:
        return '"' + " ".join(words) + '"'
    return " + ".join(_stem_prefix(word, language) for word in words)


def _stem_prefix(word, language):
    stem = language.stem(word)
    return f'"{stem}" *' if len(stem) >= MIN_STEM_PREFIX and stem.isalpha() else f'"{word}"'


def _group(phrases, language):
    return "(" + " OR ".join(_phrase(phrase, language) for phrase in phrases) + ")"


def expressions(parsed):
    """FTS5 queries built from words of letters and digits only, each one quoted."""
    language = parsed.language
    groups = [_group(group, language) for group in parsed.groups]
    any_query = " OR ".join(groups)
    # Bonuses go by the groups of words that are not common English ("get", "work").
    counted = [groups[i] for i in parsed.counted]
    weighed = [groups[i] for i in parsed.weighed]
    weighed_any, weighed_all = " OR ".join(weighed), " AND ".join(weighed)
    typed_all = " AND ".join(_phrase(group[0], language) for group in parsed.groups)
    # Descriptions of the item's tags (the context column) let it match, but earn no bonus.
    own = "{title summary tags body} : "
    return {
        "groups": groups,
        "counted": counted,
        "any": any_query,
        "all": f"{own}({weighed_all})",
        "typed": f"{own}({typed_all})",
        "phrase": f"{own}{_phrase(parsed.phrase, language)}" if parsed.phrase else None,
        "title": f"{{title}} : ({weighed_any})",
        "titled": [f"{{title}} : {group}" for group in counted],
        "title_all": f"{{title}} : ({weighed_all})",
        "head": f"{{summary tags}} : ({weighed_any})",
    }


def _in_match(table):
    return f"(d.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s))"


def rank(documents, parsed, limit, window=None):
    match = expressions(parsed)
    table = TABLES[parsed.language.code]
    filtered_sql, filtered_params = queryset_sql(documents.values("id"))
    phrase_sql, phrase_params = (
        (f"8 * {_in_match(table)}", [match["phrase"]]) if match["phrase"] else ("0", [])
    )
    matched_sql = " + ".join(_in_match(table) for _ in match["counted"])
    # The share of a sentence's words (stop words too) that start a word of the title.
    sentence = [f'"{start}" *' for start in parsed.sentence]
    sentence_sql = (
        f"{SENTENCE_WEIGHT} * ("
        + " + ".join(
            "(d.id IN (SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH %s))"
            for _ in sentence
        )
        + f") / {len(sentence)}.0"
        if sentence
        else "0"
    )
    # The share of the counted groups found in the title, squared below.
    titled_sql = " + ".join(_in_match(table) for _ in match["titled"])
    # Only constant SQL is interpolated; every word typed is a parameter.
    sql = f"""
        SELECT id, object_id, type, score + {TITLE_SHARE_WEIGHT} * titled * titled AS score FROM (
            SELECT d.id, d.object_id, d.type, ({titled_sql}) / {len(match["titled"])}.0 AS titled,
                   {phrase_sql} + 4 * {_in_match(table)} + 2 * {_in_match(table)}
                   + {_in_match(table)} + {_in_match(table)} + 0.5 * {_in_match(table)}
                   + {sentence_sql}
                   + (-bm25({table}, {WEIGHTS})) / (10 - bm25({table}, {WEIGHTS})) AS score,
                   {matched_sql} AS matched
            FROM {table} JOIN search_searchdocument d ON d.id = {table}.rowid
            WHERE {table} MATCH %s AND d.id IN ({filtered_sql})
        )
        WHERE matched >= %s
        ORDER BY score DESC, id
        LIMIT %s
    """
    params = [
        *match["titled"],
        *phrase_params,
        match["all"],
        match["title_all"],
        match["title"],
        match["head"],
        match["typed"],
        *sentence,
        *match["counted"],
        match["any"],
        *filtered_params,
        parsed.min_match,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Facets and the page shown are read when asked for: a query in-process costs little.
        return cursor.fetchall(), None, {}


def with_snippets(documents, parsed):
    """Annotate `snippet`: the body's best passage, matches between the marker characters."""
    table = TABLES[parsed.language.code]
    return documents.annotate(
        snippet=RawSQL(
            f"(SELECT snippet({table}, 3, %s, %s, ' … ', %s) FROM {table} "  # nosec B608
            f"WHERE {table} MATCH %s AND {table}.rowid = search_searchdocument.id)",
            [MARK_START, MARK_END, SNIPPET_TOKENS, expressions(parsed)["any"]],
            output_field=TextField(),
        )
    )


def corrections(words, language):
    """
    Correct each word to the closest word of about its length in the language's vocabulary
    (rapidfuzz).
    """
    near = Q()
    for word in words:
        near |= Q(word__startswith=word[0], size__gte=len(word) - 2, size__lte=len(word) + 2)
    vocabulary = list(
        SearchWord.objects.filter(language=language.code)
        .annotate(size=Length("word"))
        .filter(near)
        .values_list("word", flat=True)
    )
    found = {}
    for word in words:
        correction = best_correction(word, [c for c in vocabulary if c[0] == word[0]], language)
        if correction:
            found[word] = correction
    return found


def complete(documents, words, limit):
    """Documents whose title has the words typed, the last one possibly unfinished."""
    query = " AND ".join([*(_phrase([word]) for word in words[:-1]), f"{_phrase(words[-1:])} *"])
    condition = Q(
        id__in=RawSQL("SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH %s", [query])
    )
    return list(documents.filter(condition).only("type", "slug", "title")[:limit])
