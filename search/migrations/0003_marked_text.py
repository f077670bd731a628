"""The marked text beside the folded one (search.tones): exact Vietnamese spellings rank first.

SQLite: the FTS5 table gains a fourth column, so it and its triggers are recreated and
refilled from SearchDocument. PostgreSQL: the generated tsvector gains the marked words at
weight D (a generated column cannot be altered, so it is dropped and added again, with its
GIN index). Existing rows hold no marked words until `rebuild_search_index` runs; until
then searches behave as before (folded matching only).
"""

from django.db import migrations, models

FTS = "search_fts"
DOCUMENT = "search_searchdocument"


def _fts(fields):
    columns = ", ".join(fields)
    old = ", ".join(f"old.{f}" for f in fields)
    new = ", ".join(f"new.{f}" for f in fields)
    return [
        f"DROP TRIGGER IF EXISTS {FTS}_au",
        f"DROP TRIGGER IF EXISTS {FTS}_ad",
        f"DROP TRIGGER IF EXISTS {FTS}_ai",
        f"DROP TABLE IF EXISTS {FTS}",
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({columns}, content='{DOCUMENT}', content_rowid='entry_id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOCUMENT} BEGIN "
        f"INSERT INTO {FTS}(rowid, {columns}) VALUES (new.entry_id, {new}); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOCUMENT} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.entry_id, {old}); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {DOCUMENT} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.entry_id, {old}); "
        f"INSERT INTO {FTS}(rowid, {columns}) VALUES (new.entry_id, {new}); END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ]


FOLDED = ("name_text", "description_text", "other_text")


def _vector(with_marked):
    weighted = [
        "setweight(to_tsvector('simple'::regconfig, name_text), 'A')",
        "setweight(to_tsvector('simple'::regconfig, description_text), 'B')",
        "setweight(to_tsvector('simple'::regconfig, other_text), 'C')",
    ]
    if with_marked:
        weighted.append("setweight(to_tsvector('simple'::regconfig, marked_text), 'D')")
    return [
        "DROP INDEX IF EXISTS search_document_vector",
        f"ALTER TABLE {DOCUMENT} DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE {DOCUMENT} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        + " || ".join(weighted)
        + ") STORED",
        f"CREATE INDEX search_document_vector ON {DOCUMENT} USING GIN (search_vector)",
    ]


FORWARD = {"sqlite": _fts((*FOLDED, "marked_text")), "postgresql": _vector(with_marked=True)}
BACKWARD = {"sqlite": _fts(FOLDED), "postgresql": _vector(with_marked=False)}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_reply_minutes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="marked_text",
            field=models.TextField(
                blank=True, default="", help_text="The three fields' words with their marks kept (search.tones)."
            ),
        ),
        # Backward first drops what reads the column, then RemoveField (reversed order) drops it.
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
