"""
The full-text structures of each database, which Django's schema language cannot express.

PostgreSQL: generated tsvector columns (weighted: title A, summary and tags B, body C), GIN
indexes on them, and pg_trgm for correcting misspelled words against the vocabulary.
SQLite: FTS5 tables whose content is the documents table, kept in step by triggers.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_searchdocument
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, summary), 'B')
        || setweight(to_tsvector('english'::regconfig, tags), 'B')
        || setweight(to_tsvector('english'::regconfig, body), 'C')
    ) STORED,
    ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, summary || ' ' || tags), 'B')
    ) STORED,
    ADD COLUMN title_words tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title)
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (head_vector)",
    "CREATE INDEX search_document_title ON search_searchdocument USING gin (title_words)",
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX search_word_trigram",
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector, DROP COLUMN head_vector, "
    "DROP COLUMN title_words",
]

COLUMNS = "title, summary, tags, body"
OLD = "old.title, old.summary, old.tags, old.body"
NEW = "new.title, new.summary, new.tags, new.body"
SQLITE = [
    f"""
    CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS}, content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE VIRTUAL TABLE search_title_fts USING fts5(
        title, content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
    )
    """,
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
        INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
    f"""
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO search_title_fts(search_title_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
    END
    """,
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
        INSERT INTO search_title_fts(search_title_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
        INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_title_fts",
    "DROP TABLE search_fts",
]


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
