"""Recreate the benchmark's scratch database: `python -m tests.bench.scratch DATABASE_URL`.

SQLite: delete the file. PostgreSQL: drop and create the database on the same server.
"""

import sys
from pathlib import Path
from urllib.parse import urlparse


def recreate(url):
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(parsed.path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"fresh SQLite file {path}"
    import psycopg
    from psycopg import sql

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"fresh PostgreSQL database {name}"


if __name__ == "__main__":
    try:
        print(recreate(sys.argv[1]))
    except Exception as error:  # e.g. the PostgreSQL server is not reachable
        sys.exit(f"cannot prepare {sys.argv[1]}: {error}")
