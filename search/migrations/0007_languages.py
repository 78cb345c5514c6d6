"""
A language for each document and vocabulary word: English, as before, or Spanish.

PostgreSQL: Spanish documents are read with `search_spanish`, a copy of `spanish` whose words
go through `unaccent` before Snowball's Spanish stemmer (a stop word written with its accent
is dropped first, as `spanish` would drop it), and their titles' words with
`search_simple_unaccent`; English rows keep the expressions of 0004 and 0006 exactly. The
generated columns choose with a CASE on the language, an immutable expression.

SQLite: Spanish documents get an FTS5 table of their own, `search_fts_es`, without porter
(English) stemming and with accents removed; search.backends.sqlite searches it with each
word's Spanish stem as a prefix. `search_fts` holds English documents only. Django remakes
the documents table to add a column on SQLite, which drops its triggers: they are made again,
each language's rows going to its own table. Every document is English when this runs, so
`search_fts` already holds the right rows and `search_fts_es` starts empty.

Each FTS5 table now indexes only some rows of its content table, so FTS5's own 'rebuild' and
'integrity-check' commands, which read all of them, must not be used on these tables:
`manage.py rebuild_search_index` rewrites the rows, and the triggers index each where it
belongs. (A view per language as the content would keep those commands working, but
Django's remaking of the documents table on SQLite fails while a view names it.)
"""

from django.db import migrations, models

SEPARATORS = r"'[^[:alnum:][:space:]]', ' ', 'g'"
# Each name cast where it is written: a constant, where a cast of the CASE would not be.
CONFIG = "CASE WHEN language = 'es' THEN 'search_spanish'::regconfig ELSE 'english'::regconfig END"
TITLE_CONFIG = (
    "CASE WHEN language = 'es' THEN 'search_simple_unaccent'::regconfig "
    "ELSE 'simple'::regconfig END"
)
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def _vector(column, weight):
    return (
        f"setweight(to_tsvector({CONFIG}, regexp_replace({column}, {SEPARATORS})), '{weight}')"
    )


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Drops the stop words of spanish.stop as written (accents and all); passes on the rest.
    "CREATE TEXT SEARCH DICTIONARY search_spanish_stop "
    "(TEMPLATE = simple, STOPWORDS = spanish, ACCEPT = false)",
    "CREATE TEXT SEARCH CONFIGURATION search_spanish (COPY = spanish)",
    f"ALTER TEXT SEARCH CONFIGURATION search_spanish ALTER MAPPING FOR {WORD_TOKENS} "
    "WITH search_spanish_stop, unaccent, spanish_stem",
    "CREATE TEXT SEARCH CONFIGURATION search_simple_unaccent (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION search_simple_unaccent ALTER MAPPING FOR {WORD_TOKENS} "
    "WITH unaccent, simple",
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector, DROP COLUMN head_vector, "
    "DROP COLUMN title_words, DROP COLUMN title_terms",
    "DROP FUNCTION search_title_terms(text)",
    """
    CREATE FUNCTION search_title_terms(title text, config regconfig) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT term), '{}') FROM (
            SELECT word FROM unnest(tsvector_to_array(to_tsvector(config, title))) AS word
        ) AS words
        CROSS JOIN LATERAL (
            SELECT word
            UNION ALL
            SELECT left(word, n) || '*' FROM generate_series(1, length(word)) AS n
        ) AS terms (term)
    $$
    """,
    f"""
    ALTER TABLE search_searchdocument
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("summary", "B")} || {_vector("tags", "B")}
        || {_vector("body", "C")} || {_vector("context", "D")}
    ) STORED,
    ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("summary || ' ' || tags", "B")}
    ) STORED,
    ADD COLUMN title_words tsvector GENERATED ALWAYS AS (
        to_tsvector({TITLE_CONFIG}, title)
    ) STORED,
    ADD COLUMN title_terms text[] GENERATED ALWAYS AS (
        search_title_terms(title, {TITLE_CONFIG})
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (head_vector)",
    "CREATE INDEX search_document_title_terms ON search_searchdocument USING gin (title_terms)",
    # The vocabulary's table is new (see below): its trigram index too.
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)",
]

COLUMNS = ["title", "summary", "tags", "body", "context"]
LISTED = ", ".join(COLUMNS)
FTS_TABLES = {"en": "search_fts", "es": "search_fts_es"}


def _rows(prefix):
    return ", ".join(f"{prefix}.{column}" for column in COLUMNS)


def _insert(language, table, row):
    return (
        f"INSERT INTO {table}(rowid, {LISTED}) SELECT {row}.id, {_rows(row)} "
        f"WHERE {row}.language = '{language}';"
    )


def _delete(language, table, row):
    return (
        f"INSERT INTO {table}({table}, rowid, {LISTED}) SELECT 'delete', {row}.id, {_rows(row)} "
        f"WHERE {row}.language = '{language}';"
    )


def _each(statement, row):
    return "\n".join(statement(language, table, row) for language, table in FTS_TABLES.items())


SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    f"""
    CREATE VIRTUAL TABLE search_fts_es USING fts5(
        {LISTED}, content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        {_each(_insert, "new")}
        INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
    f"""
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        {_each(_delete, "old")}
        INSERT INTO search_title_fts(search_title_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
    END
    """,
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        {_each(_delete, "old")}
        {_each(_insert, "new")}
        INSERT INTO search_title_fts(search_title_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
        INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
]


def full_text(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor, [])
    # Filling the columns parses every document: on a large index, longer than the bounds
    # set for a request (the server's statement timeout, api.postgresql's deadline).
    deadline = getattr(connection, "query_timeout", None)
    connection.query_timeout = None
    try:
        if connection.vendor == "postgresql":
            schema_editor.execute("SET LOCAL statement_timeout = 0")
        for statement in statements:
            schema_editor.execute(statement)
    finally:
        connection.query_timeout = deadline


def copy_words(apps, schema_editor):
    """Every word of the vocabulary so far is English."""
    schema_editor.execute(
        "INSERT INTO search_languageword (language, word, documents) "
        "SELECT 'en', word, documents FROM search_searchword"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_title_terms")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish")], default="en", max_length=8
            ),
        ),
        migrations.RemoveConstraint(model_name="searchdocument", name="search_document_unique"),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                fields=("type", "object_id", "language"), name="search_document_unique"
            ),
        ),
        # The vocabulary is keyed by language and word now: a new table, the words copied.
        migrations.CreateModel(
            name="LanguageWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("es", "Spanish")],
                        default="en",
                        max_length=8,
                    ),
                ),
                ("word", models.CharField(max_length=64)),
                ("documents", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "word"), name="search_word_unique"
                    )
                ]
            },
        ),
        migrations.RunPython(copy_words, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchWord"),
        migrations.RenameModel(old_name="LanguageWord", new_name="SearchWord"),
        migrations.RunPython(full_text),
    ]
