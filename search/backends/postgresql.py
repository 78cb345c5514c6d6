"""
PostgreSQL: weighted tsvector columns with GIN indexes (migration 0002), user words parsed by
websearch_to_tsquery (which never raises), ts_rank_cd and ts_headline, pg_trgm for typos.

Ranking reads each candidate's tsvector, which is what makes a naive ranked query slow on a
large table: here only a bounded candidate set is ranked, taken first from the documents whose
title, summary or tags hold every word, then those holding them anywhere, then any word.

Words and documents are read with the text search configuration of the query's language
(search.languages): `english`, or `search_spanish` (migration 0007), which folds accents.
"""

from django.db import connection
from django.db.models import BooleanField, TextField
from django.db.models.expressions import RawSQL

from entries.orm_internals import own_table_where, queryset_sql
from search.models import SearchDocument
from search.query import (
    MARK_END,
    MARK_START,
    SENTENCE_WEIGHT,
    TITLE_SHARE_WEIGHT,
    best_correction,
)

# Documents taken from each GIN lookup before ranking; four lookups at most.
CANDIDATES_PER_TIER = 50
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
TABLE = "search_searchdocument"


def _websearch(phrases, config):
    """A tsquery matching any of the phrases; the words are letters and digits only."""
    text = " or ".join(f'"{" ".join(phrase)}"' for phrase in phrases)
    return f"websearch_to_tsquery('{config}', %s)", [text]


def _loose(phrases, config):
    """
    A tsquery matching any of the phrases' words in any order. GIN holds no positions, so a
    phrase is checked in each document that has its words; with common words, thousands.
    """
    text = " or ".join(" ".join(phrase) for phrase in phrases)
    return f"websearch_to_tsquery('{config}', %s)", [text]


def _combine(parts, operator):
    sql = f" {operator} ".join(f"({part_sql})" for part_sql, _ in parts)
    return f"({sql})", [param for _, params in parts for param in params]


def queries(parsed):
    """
    The tsqueries of a parsed query: each group; any and all of the groups that are not
    common words; every word as typed; the phrase.
    """
    config = parsed.language.ts_config
    groups = [_websearch(group, config) for group in parsed.groups]
    weighed = [groups[i] for i in parsed.weighed]
    any_query = _combine(weighed, "||")
    all_query = _combine(weighed, "&&")
    typed = _combine([_websearch([group[0]], config) for group in parsed.groups], "&&")
    phrase = _websearch([parsed.phrase], config) if parsed.phrase else ("NULL::tsquery", [])
    return groups, any_query, all_query, typed, phrase


def _filtered(documents):
    """
    The WHERE clause of the filtered documents, compiled once and repeated in each lookup:
    a condition on the table itself, so that each lookup is one scan of one GIN index.
    """
    try:
        sql, params = own_table_where(documents)
    except TypeError:
        # Filters that join another table: narrow by the filtered ids instead.
        sql, params = queryset_sql(documents.values("id"))
        return f"{TABLE}.id IN ({sql})", params
    return sql or "TRUE", params


def rank(documents, parsed, limit, window=None):
    """
    Return, in one query, the best `limit` matches as (id, object_id, type, score) rows, best
    first; the facet counts of all of them as (facet, slug, name, count) rows; and the hits
    at positions `window` (start, stop) as documents with their snippets, by id.
    """
    config = parsed.language.ts_config
    groups, any_query, all_query, typed, phrase = queries(parsed)
    snippet_query = _combine([_websearch(group, config) for group in parsed.groups], "||")
    # The share of a sentence's words (stop words too) that start a word of the title.
    sentence_params = [f"{start}:*" for start in parsed.sentence]
    sentence_sql = (
        "ARRAY[" + ", ".join(["to_tsquery('simple', %s)"] * len(sentence_params)) + "]"
        if sentence_params
        else "ARRAY[]::tsquery[]"
    )
    sentence_share = (
        f"{SENTENCE_WEIGHT} * ("
        + " + ".join(
            f"(c.title_words @@ q.sentence[{i}])::int" for i in range(1, len(sentence_params) + 1)
        )
        + f") / {len(sentence_params)}.0"
        if sentence_params
        else "0"
    )
    where, where_params = _filtered(documents)
    # Candidates are found by words alone; the ranking then checks phrases.
    loose = [_loose(parsed.groups[i], config) for i in parsed.weighed]
    tiers, tier_params = [], []
    for column, (query_sql, query_params) in (
        ("head_vector", _combine(loose, "&&")),
        ("search_vector", _combine(loose, "&&")),
        ("head_vector", _combine(loose, "||")),
        ("search_vector", _combine(loose, "||")),
    ):
        tiers.append(
            f"(SELECT id FROM {TABLE} WHERE {where} AND {TABLE}.{column} @@ {query_sql} "
            f"LIMIT {CANDIDATES_PER_TIER})"
        )
        tier_params += [*where_params, *query_params]
    candidates_sql = " UNION ".join(tiers)
    groups_sql = ", ".join(group_sql for group_sql, _ in groups)
    groups_params = [param for _, params in groups for param in params]
    count = len(groups)
    per_group = ", ".join(
        f"(c.search_vector @@ q.groups[{i}])::int AS m{i}, "
        f"(c.title_vector @@ q.groups[{i}])::int AS t{i}, "
        f"ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', c.search_vector, q.groups[{i}], 1 | 32) AS r{i}"
        for i in range(1, count + 1)
    )
    # PostgreSQL's ranking knows nothing of how rare a word is: each word's rank, and the
    # share of the words found in the title, are weighted by its rarity among the candidates.
    # Computed once over all the candidates (w), not once for each candidate and use.
    idf = ", ".join(
        f"ln((count(*) + 1.0) / (sum(m{i}) + 0.5)) AS idf{i}" for i in range(1, count + 1)
    )
    rare_title = " + ".join(f"t{i} * idf{i}" for i in range(1, count + 1))
    rare_rank = " + ".join(f"r{i} * idf{i}" for i in range(1, count + 1))
    rarity = " + ".join(f"idf{i}" for i in range(1, count + 1))
    matched = " + ".join(f"m{i + 1}" for i in parsed.counted)
    # The share of the counted groups found in the title, squared.
    titled = (
        f"{TITLE_SHARE_WEIGHT} * power(("
        + " + ".join(f"t{i + 1}" for i in parsed.counted)
        + f") / {len(parsed.counted)}.0, 2)"
    )
    # Only constant SQL is interpolated; every word typed is a parameter.
    sql = f"""
        WITH q AS MATERIALIZED (
            -- Parsed once, not once for each candidate it is used on.
            SELECT {any_query[0]} AS any_q, {all_query[0]} AS all_q, {phrase[0]} AS phrase_q,
                   {typed[0]} AS typed_q, ARRAY[{groups_sql}]::tsquery[] AS groups,
                   {snippet_query[0]} AS snippet_q, {sentence_sql} AS sentence
        ),
        c AS MATERIALIZED (
            -- Read (and decompress) each candidate's vectors once, not once per use below.
            SELECT d.id, d.object_id, d.type, d.search_vector || ''::tsvector AS search_vector,
                   -- Without the tags' descriptions (weight D): they earn no bonus.
                   ts_filter(d.search_vector, '{{a,b,c}}') AS own_vector,
                   ts_filter(d.head_vector, '{{a}}') AS title_vector,
                   ts_filter(d.head_vector, '{{b}}') AS head_vector, d.title_words
            FROM {TABLE} d
            -- An array, not IN: the planner then fetches the candidates by primary key
            -- instead of reading (and projecting) the whole table to join them.
            WHERE d.id = ANY(ARRAY({candidates_sql}))
        ),
        m AS MATERIALIZED (
            -- Each match and rank computed once for each candidate, however often used.
            SELECT c.id, c.object_id, c.type, {per_group},
                   CASE WHEN c.own_vector @@ q.phrase_q THEN 8 ELSE 0 END
                 + CASE WHEN c.own_vector @@ q.all_q THEN 4 ELSE 0 END
                 + CASE WHEN c.title_vector @@ q.all_q THEN 2 ELSE 0 END
                 + CASE WHEN c.head_vector @@ q.any_q THEN 1 ELSE 0 END
                 + CASE WHEN c.own_vector @@ q.typed_q THEN 0.5 ELSE 0 END
                 + {sentence_share} AS base
            FROM c CROSS JOIN q
        ),
        w AS (
            SELECT {idf} FROM m
        ),
        s AS (
            SELECT id, object_id, type, {matched} AS matched,
                   base + {titled} + ({rare_title} + {rare_rank}) / ({rarity}) AS score
            FROM m CROSS JOIN w
        ),
        hits AS MATERIALIZED (
            SELECT id, object_id, type, score, row_number() OVER (ORDER BY score DESC, id) AS n
            FROM s
            WHERE matched >= %s
            ORDER BY score DESC, id
            LIMIT %s
        )
        SELECT 0 AS part, h.id, h.object_id, h.type, h.score, d.slug, d.title, d.summary,
               ts_headline('{config}', d.body, q.snippet_q, %s) AS snippet
        FROM hits h CROSS JOIN q
        -- The page to be shown, in full: no query afterwards to read it.
        LEFT JOIN {TABLE} d ON d.id = h.id AND h.n > %s AND h.n <= %s
        UNION ALL
        -- The facet counts of the same hits, in the same round trip.
        SELECT 1, count(DISTINCT t.document_id), NULL, t.facet, NULL, t.slug, t.name, NULL, NULL
        FROM search_searchtag t
        WHERE t.document_id IN (SELECT id FROM hits)
        GROUP BY t.facet, t.slug, t.name
        ORDER BY part, score DESC, id
    """
    params = [
        *any_query[1],
        *all_query[1],
        *phrase[1],
        *typed[1],
        *groups_params,
        *snippet_query[1],
        *sentence_params,
        *tier_params,
        parsed.min_match,
        limit,
        HEADLINE_OPTIONS,
        *(window or (0, 0)),
    ]
    # Each candidate lookup stops at its LIMIT: a scan of the table must start at its first
    # row, not where another scan is (PostgreSQL's default for large tables), or the same
    # search finds other candidates from one request to the next.
    rows = _fetch_with(("synchronize_seqscans",), sql, params)
    hits = [row[1:5] for row in rows if row[0] == 0]
    tags = [(row[3], row[5], row[6], row[1]) for row in rows if row[0] == 1]
    shown = {}
    for part, id_, _, type_, _, slug, title, summary, snippet in rows:
        if part == 0 and slug is not None:
            shown[id_] = SearchDocument(id=id_, type=type_, slug=slug, title=title, summary=summary)
            shown[id_].snippet = snippet
    return hits, tags, shown


def with_snippets(documents, parsed):
    """Annotate `snippet`: the body's best passages, matches between the marker characters."""
    config = parsed.language.ts_config
    any_query = _combine([_websearch(group, config) for group in parsed.groups], "||")
    return documents.annotate(
        snippet=RawSQL(
            f"ts_headline('{config}', {TABLE}.body, {any_query[0]}, %s)",
            [*any_query[1], HEADLINE_OPTIONS],
            output_field=TextField(),
        )
    )


def corrections(words, language):
    """Correct each word to a close word of the language's vocabulary (trigram similarity)."""
    words = sorted(words)
    sql = " UNION ALL ".join(
        "(SELECT %s, word FROM search_searchword WHERE word %% %s AND language = %s "
        "ORDER BY similarity(word, %s) DESC, word LIMIT 8)"
        for _ in words
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [param for word in words for param in (word, word, language.code, word)]
        )
        rows = cursor.fetchall()
    found = {}
    for word in words:
        correction = best_correction(
            word, [candidate for typed, candidate in rows if typed == word], language
        )
        if correction:
            found[word] = correction
    return found


def complete(documents, words, limit):
    """Documents whose title has the words typed, the last one possibly unfinished."""
    # Keys of the titles' terms (migration 0006): earlier words whole, the last as a prefix.
    terms = [*words[:-1], f"{words[-1]}*"]
    condition = RawSQL(f"{TABLE}.title_terms @> %s::text[]", [terms], output_field=BooleanField())
    sql, params = queryset_sql(
        documents.filter(condition).values_list("id", "type", "slug", "title")[:limit]
    )
    if len(terms) == 1:
        # One key: the planner knows how many titles have it (the column's statistics), and
        # for a common one reads the table from its start until it has `limit` rows, fewer
        # than the GIN lookup would list (12,500 titles have "k*" in 100,000). From its start:
        # not where another scan of the table is, which is the order a bitmap reads the rows
        # in, so the documents found are the same whichever way they are read.
        settings = ("enable_indexscan", "synchronize_seqscans")
    else:
        # Keys together: the planner multiplies their shares as if they were independent,
        # and might read the whole table for words that are common but never together. Only
        # the GIN index then, whose cost is bounded by the keys' own lists.
        settings = ("enable_indexscan", "enable_seqscan")
    rows = _fetch_with(settings, sql, params)
    return [
        SearchDocument(id=id_, type=type_, slug=slug, title=title)
        for id_, type_, slug, title in rows
    ]


def _fetch_with(settings, sql, params):
    """The rows of one statement run with the planner `settings` off, for it alone."""
    with connection.cursor() as cursor:
        # SET LOCAL lasts to the end of the transaction (the statement's own, outside one);
        # RESET then gives the session its own values back inside an outer one.
        cursor.execute(
            "".join(f"SET LOCAL {setting} = off; " for setting in settings)
            + f"{sql}; "
            + "".join(f"RESET {setting}; " for setting in settings),
            params,
        )
        for _ in settings:
            cursor.nextset()
        return cursor.fetchall()
