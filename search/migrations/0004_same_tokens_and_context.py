"""
Index the descriptions of conditions and topics (weighted least), and tokenise the same way
on both databases.

FTS5's unicode61 tokenizer splits words at every character that is not a letter or a digit:
"0.5 mg/kg" is four tokens, "won't" two. PostgreSQL's parser keeps "0.5", "mg/kg" and
"well-known" whole, so a query built from the words typed found nothing. The tsvectors are
now made from the text with every such character replaced by a space, as FTS5 sees it.
"""

from django.db import migrations

SEPARATORS = r"'[^[:alnum:][:space:]]', ' ', 'g'"


def _vector(column, weight):
    return (
        f"setweight(to_tsvector('english'::regconfig, "
        f"regexp_replace({column}, {SEPARATORS})), '{weight}')"
    )


POSTGRESQL = [
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector, DROP COLUMN head_vector",
    f"""
    ALTER TABLE search_searchdocument
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("summary", "B")} || {_vector("tags", "B")}
        || {_vector("body", "C")} || {_vector("context", "D")}
    ) STORED,
    ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("summary || ' ' || tags", "B")}
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (head_vector)",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector, DROP COLUMN head_vector",
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
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (head_vector)",
]


def _fts(columns):
    # Django remakes the documents table to add a column on SQLite, which drops its triggers.
    listed = ", ".join(columns)
    old = ", ".join(f"old.{column}" for column in columns)
    new = ", ".join(f"new.{column}" for column in columns)
    return [
        "DROP TRIGGER IF EXISTS search_fts_update",
        "DROP TRIGGER IF EXISTS search_fts_delete",
        "DROP TRIGGER IF EXISTS search_fts_insert",
        "DROP TABLE search_fts",
        f"""
        CREATE VIRTUAL TABLE search_fts USING fts5(
            {listed}, content='search_searchdocument', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )
        """,
        f"""
        CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
            INSERT INTO search_fts(rowid, {listed}) VALUES (new.id, {new});
            INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
        END
        """,
        f"""
        CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {listed}) VALUES ('delete', old.id, {old});
            INSERT INTO search_title_fts(search_title_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
        END
        """,
        f"""
        CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {listed}) VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {listed}) VALUES (new.id, {new});
            INSERT INTO search_title_fts(search_title_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
            INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
        END
        """,
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


SQLITE = _fts(["title", "summary", "tags", "body", "context"])
SQLITE_REVERSE = _fts(["title", "summary", "tags", "body"])


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_context")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
