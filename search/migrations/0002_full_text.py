"""Full-text structures the ORM cannot describe, created for the database in use.

SQLite: an FTS5 table over SearchEntry.document, kept in step by triggers.
PostgreSQL: a generated tsvector column with a GIN index, and pg_trgm on the vocabulary
for correcting one-letter slips.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalogue_search_fts USING fts5(document, content='catalogue_search_searchentry', "
    "content_rowid='page_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalogue_search_fts_ai AFTER INSERT ON catalogue_search_searchentry BEGIN "
    "INSERT INTO catalogue_search_fts(rowid, document) VALUES (new.page_id, new.document); END",
    "CREATE TRIGGER catalogue_search_fts_ad AFTER DELETE ON catalogue_search_searchentry BEGIN "
    "INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, document) VALUES ('delete', old.page_id, old.document); END",
    "CREATE TRIGGER catalogue_search_fts_au AFTER UPDATE ON catalogue_search_searchentry BEGIN "
    "INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, document) VALUES ('delete', old.page_id, old.document); "
    "INSERT INTO catalogue_search_fts(rowid, document) VALUES (new.page_id, new.document); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_search_fts_au",
    "DROP TRIGGER IF EXISTS catalogue_search_fts_ad",
    "DROP TRIGGER IF EXISTS catalogue_search_fts_ai",
    "DROP TABLE IF EXISTS catalogue_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE catalogue_search_searchentry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
    "CREATE INDEX catalogue_search_entry_vector ON catalogue_search_searchentry USING GIN (search_vector)",
    "CREATE INDEX catalogue_search_word_trgm ON catalogue_search_searchword USING GIN (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_search_word_trgm",
    "DROP INDEX IF EXISTS catalogue_search_entry_vector",
    "ALTER TABLE catalogue_search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0001_index_tables")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
