"""SQL for moving the full-text structures between SearchEntry and SearchDocument (0004)."""

FTS = "catalogue_search_fts"
TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def _sqlite_fts(table, rowid):
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(document, content='{table}', content_rowid='{rowid}', {TOKENIZE})",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {FTS}(rowid, document) VALUES (new.{rowid}, new.document); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, document) VALUES ('delete', old.{rowid}, old.document); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, document) VALUES ('delete', old.{rowid}, old.document); "
        f"INSERT INTO {FTS}(rowid, document) VALUES (new.{rowid}, new.document); END",
    ]


SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
SQLITE_TO_DOCUMENTS = [*SQLITE_DROP, *_sqlite_fts("catalogue_search_searchdocument", "entry_id")]
SQLITE_TO_ENTRIES = [
    *SQLITE_DROP,
    *_sqlite_fts("catalogue_search_searchentry", "page_id"),
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def _postgres_vector(table):
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
        f"CREATE INDEX catalogue_search_vector ON {table} USING GIN (search_vector)",
    ]


POSTGRES_TO_DOCUMENTS = [
    "ALTER TABLE catalogue_search_searchentry DROP COLUMN IF EXISTS search_vector",
    *_postgres_vector("catalogue_search_searchdocument"),
]
POSTGRES_TO_ENTRIES = [
    "ALTER TABLE catalogue_search_searchdocument DROP COLUMN IF EXISTS search_vector",
    *_postgres_vector("catalogue_search_searchentry"),
]
