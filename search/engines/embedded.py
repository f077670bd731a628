"""The embedded engine: full text inside the site's own database.

SQLite: an FTS5 table over SearchDocument (migrations 0002, 0004). PostgreSQL: a
generated tsvector column on SearchDocument with a GIN index, and pg_trgm on the
vocabulary for misspellings. A word the index has never
seen is first replaced by a known word one edit away (both databases), then, on
PostgreSQL, by its nearest trigram neighbour.

The database finds the text matches; totals, facet counts and the page come from the
entries' columns held in memory (search/engines/columns.py). Every query re-applies the
visibility dates stored with each entry, so a product whose record expires or is revoked
today drops out without anyone re-indexing it.
"""

import string

import numpy as np

from django.db import connection, transaction
from django.utils import timezone

from catalogue.text import fold

from ..contract import EngineAnswer, terms
from ..indexing import all_rows, index_rows
from ..models import SearchDocument, SearchEntry, SearchWord
from . import columns

ENTRY = SearchEntry._meta.db_table
DOCUMENT = SearchDocument._meta.db_table
FTS = "search_fts"
_ALPHABET = string.ascii_lowercase + string.digits


def _edits1(word):
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + transposes + replaces + inserts)


class EmbeddedEngine:
    name = "embedded"

    @property
    def vendor(self):
        return connection.vendor

    # --- querying -------------------------------------------------------------

    def _expression(self, words, prefix=False):
        """The full-text query for "every word" (the last one as a prefix when `prefix`)."""
        last = len(words) - 1
        if self.vendor == "postgresql":
            return " & ".join(f"{w}:*" if prefix and i == last else w for i, w in enumerate(words))
        return " ".join(f'"{w}"*' if prefix and i == last else f'"{w}"' for i, w in enumerate(words))

    def _text_clause(self, words, prefix=False):
        """(cte, join, where, params) restricting rows to those containing every word."""
        if not words:
            return "", "", "", []
        expression = self._expression(words, prefix)
        if self.vendor == "postgresql":
            join = f"JOIN {DOCUMENT} d ON d.entry_id = e.page_id"
            return "", join, "d.search_vector @@ to_tsquery('simple', %s)", [expression]
        # Materialised once: joined inline, SQLite would re-run the MATCH for every row.
        cte = f"WITH m AS MATERIALIZED (SELECT rowid AS id FROM {FTS} WHERE {FTS} MATCH %s)"  # noqa: S608
        return cte, "JOIN m ON m.id = e.page_id", "", [expression]

    def correct(self, words):
        """Replace words the index has never seen by the closest one it has, if any."""
        if not words:
            return words, []
        known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
        corrected, messages = [], []
        for word in words:
            if word in known or len(word) < 3 or word.isdigit():
                corrected.append(word)
                continue
            replacement = self._closest(word)
            corrected.append(replacement or word)
        if corrected != words:
            messages.append(f"No exact match; showing results for “{' '.join(corrected)}”.")
        return corrected, messages

    def _closest(self, word):
        """A known word one edit away; failing that, on PostgreSQL, the nearest by trigrams."""
        found = SearchWord.objects.filter(word__in=sorted(_edits1(word))).values_list("word", flat=True)
        # Prefer a substitution or transposition (same length), then alphabetical order.
        closest = min(found, key=lambda w: (abs(len(w) - len(word)), w), default=None)
        if closest is None and self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word FROM search_searchword WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                    [word, word],
                )
                row = cursor.fetchone()
                closest = row[0] if row else None
        return closest

    def search(self, query):
        answer = self._search(query, query.terms)
        if answer.total == 0 and query.terms:
            # Nothing matches as typed: try again with unknown words replaced by known ones.
            words, messages = self.correct(query.terms)
            corrected = self._search(query, words) if words != query.terms else None
            if corrected is not None and corrected.total:
                corrected.messages = messages
                return corrected
        return answer

    def _matching(self, words):
        """Ids of the entries containing every word: the one thing the database is asked.

        The ids come back as one comma-separated string, parsed by numpy: a row per match
        cost more in Python than the match itself in the database.
        """
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"SELECT string_agg(d.entry_id::text, ',') FROM {DOCUMENT} d "  # noqa: S608
                    "WHERE d.search_vector @@ to_tsquery('simple', %s)",
                    [self._expression(words)],
                )
            else:
                cursor.execute(
                    f"SELECT group_concat(rowid, ',') FROM {FTS} WHERE {FTS} MATCH %s",  # noqa: S608
                    [self._expression(words)],
                )
            found = cursor.fetchone()[0]
        return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)

    def _search(self, query, words):
        """Full text in the database; totals, facet counts and the page over the facet columns.

        Relevance is the catalogue's own, the same on SQLite and PostgreSQL: products whose
        name (Vietnamese or English) holds every word first, then by stars and newest.
        Scoring every match with bm25 or ts_rank cost more than all the rest of a query
        at 200,000 products, and ranked a long description above an exact name.
        """
        matches = self._matching(words) if words else None
        found = columns.answer(columns.current(), query, matches=matches, words=words)
        return EngineAnswer(ids=found.ids, total=found.total, facet_counts=found.counts, engine=self.name)

    def suggest(self, q, limit=10, on=None):
        words = terms(q)
        if not words:
            return []
        on = on or timezone.localdate()
        cte, join, text_where, text_params = self._text_clause(words, prefix=True)
        where = "e.signed_on <= %s AND e.expires_on > %s AND (e.revoked_on IS NULL OR e.revoked_on > %s)"
        params = [on, on, on]
        if text_where:
            where += " AND " + text_where
        sql = f"{cte} SELECT e.title, e.url FROM {ENTRY} e {join} WHERE {where} "  # noqa: S608
        sql += "ORDER BY e.stars DESC, e.sort_name LIMIT %s"
        all_params = (text_params + params) if cte else (params + text_params)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*all_params, limit])
            return [{"title": title, "url": url} for title, url in cursor.fetchall()]

    # --- indexing ---------------------------------------------------------------

    def _write(self, rows):
        """Insert entries, their text and new vocabulary for these IndexRows; returns how many."""
        entries, documents, words = [], [], set()
        for row in rows:
            entries.append(
                SearchEntry(
                    page_id=row.page_id,
                    title=row.title,
                    name_en=row.name_en,
                    url=row.url,
                    province_id=row.province_id,
                    category_id=row.category_id,
                    category_code=row.category_code,
                    stars=row.stars,
                    signed_on=row.signed_on,
                    expires_on=row.expires_on,
                    revoked_on=row.revoked_on,
                    sample_available=row.sample_available,
                    quality_mask=row.quality_mask,
                    published_at=row.published_at,
                    sort_name=row.sort_name,
                )
            )
            documents.append(
                SearchDocument(
                    entry_id=row.page_id,
                    name_text=row.name_text,
                    description_text=row.description_text,
                    other_text=row.other_text,
                )
            )
            words.update(w for w in row.document.split() if len(w) <= 64)
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        SearchDocument.objects.bulk_create(documents, batch_size=500)
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
        )
        return len(entries)

    def update(self, pages, on=None):
        """Recompute the rows of these product pages (a queryset): upsert the visible, drop the rest."""
        page_ids = list(pages.values_list("pk", flat=True))
        rows = list(index_rows(pages, on=on))
        with transaction.atomic():
            self.remove(page_ids)
            return self._write(rows)

    def remove(self, page_ids):
        columns.stamp()
        SearchDocument.objects.filter(entry_id__in=page_ids).delete()
        SearchEntry.objects.filter(page_id__in=page_ids).delete()

    def rebuild(self, on=None):
        """Recreate every row in one transaction: readers see the old index until it commits."""
        count = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
            columns.stamp()
            batch = []
            for row in all_rows(on=on):
                batch.append(row)
                if len(batch) >= 2000:
                    count += self._write(batch)
                    batch = []
            count += self._write(batch)
            with connection.cursor() as cursor:
                if self.vendor == "sqlite":
                    cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608
                # Fresh statistics, so the planner sees the rebuilt tables as they are.
                for table in (ENTRY, DOCUMENT, SearchWord._meta.db_table):
                    cursor.execute(f"ANALYZE {table}")
        return count

    def describe(self):
        return f"embedded ({self.vendor})"


__all__ = ["EmbeddedEngine", "fold"]
