"""
PostgreSQL: each title's words and every prefix of them, in an array with a GIN index, so that
a suggestion looks up the one key of the prefix typed.

The prefix search of the titles' tsvector (`title_words @@ 'k:*'`) is a partial match: GIN
collects every title having a word that starts with the prefix in a bitmap before a row is
read, whatever the LIMIT: 11 to 15 ms for "k" at 100,000 documents (12,500 titles). Here "k*"
is a key of its own, read as one word's list is, and whose share of the titles the column's
statistics give the planner. A word is kept as is (an earlier word typed must be a whole word
of the title), a prefix with a "*" after it, which the parser never leaves in a word. The
words are title_words' (the 'simple' configuration), so the documents found are the same.

SQLite completes titles with its FTS5 table of titles (migration 0002): nothing to do there.
"""

from django.db import migrations

POSTGRESQL = [
    # A function, so that the generated column may read its words with a subquery.
    """
    CREATE FUNCTION search_title_terms(title text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT term), '{}') FROM (
            SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, title)))
                AS word
        ) AS words
        CROSS JOIN LATERAL (
            SELECT word
            UNION ALL
            SELECT left(word, n) || '*' FROM generate_series(1, length(word)) AS n
        ) AS terms (term)
    $$
    """,
    """
    ALTER TABLE search_searchdocument
    ADD COLUMN title_terms text[] GENERATED ALWAYS AS (search_title_terms(title)) STORED
    """,
    "CREATE INDEX search_document_title_terms ON search_searchdocument USING gin (title_terms)",
    # Suggestions were its only reader (the ranking reads title_words of its candidates only).
    "DROP INDEX search_document_title",
]
POSTGRESQL_REVERSE = [
    "CREATE INDEX search_document_title ON search_searchdocument USING gin (title_words)",
    "ALTER TABLE search_searchdocument DROP COLUMN title_terms",
    "DROP FUNCTION search_title_terms(text)",
]


def run(statements):
    def operation(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        # Filling the column parses every title: on a large index, longer than the bounds
        # set for a request (the server's statement timeout, api.postgresql's deadline).
        deadline = getattr(connection, "query_timeout", None)
        connection.query_timeout = None
        try:
            schema_editor.execute("SET LOCAL statement_timeout = 0")
            for statement in statements:
                schema_editor.execute(statement)
        finally:
            connection.query_timeout = deadline

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0005_word_documents")]

    operations = [
        migrations.RunPython(
            run(POSTGRESQL),
            run(POSTGRESQL_REVERSE),
        )
    ]
