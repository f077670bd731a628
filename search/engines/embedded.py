"""The embedded engine: full text inside the site's own database.

SQLite: an FTS5 table over SearchDocument (migrations 0002, 0004), ranked by bm25.
PostgreSQL: a generated tsvector column on SearchDocument with a GIN index, ranked by
ts_rank, and pg_trgm on the vocabulary for misspellings. A word the index has never
seen is first replaced by a known word one edit away (both databases), then, on
PostgreSQL, by its nearest trigram neighbour.

Every query re-applies the visibility dates stored with the row, so a product whose
record expires or is revoked today drops out without anyone re-indexing it.
"""

import string

from django.db import connection, transaction
from django.utils import timezone

from ..contract import CERT_BITS, EngineAnswer, fold, terms
from ..indexing import all_rows, index_rows
from ..models import COPIED_COLUMNS, SearchDocument, SearchEntry, SearchWord

ENTRY = SearchEntry._meta.db_table
DOCUMENT = SearchDocument._meta.db_table
FTS = "catalogue_search_fts"
_ALPHABET = string.ascii_lowercase + string.digits


def _edits1(word):
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + transposes + replaces + inserts)


def _count(counts, facet, key, count):
    """Add `count` rows with this facet value (a certification mask counts once per scheme)."""
    if facet == "cert":
        for scheme, bit in CERT_BITS.items():
            if int(key) & bit:
                counts["cert"][scheme] = counts["cert"].get(scheme, 0) + count
        return
    key = key if facet == "category" else int(key)
    counts[facet][key] = counts[facet].get(key, 0) + count


def _tally(query, combinations):
    """(total, facet counts) from (province_id, stars, category_code, cert_mask, count) rows.

    A row counts towards the total when it meets every active filter, and towards a facet
    when it meets every filter but that facet's own (counts under the other filters).
    """
    province = query.province.pk if query.province is not None else None
    code = query.category.code if query.category is not None else None
    prefix = f"{code}."
    least_stars = query.stars or 0
    wanted_mask = query.cert_mask if query.certs else 0
    raw = {"province": {}, "category": {}, "stars": {}, "cert": {}}
    total = 0
    for province_id, stars, category_code, mask, count in combinations:
        failing, misses = None, 0
        if province is not None and province_id != province:
            failing, misses = "province", misses + 1
        if code is not None and category_code != code and not category_code.startswith(prefix):
            failing, misses = "category", misses + 1
        if stars < least_stars:
            failing, misses = "stars", misses + 1
        if wanted_mask and not mask & wanted_mask:
            failing, misses = "cert", misses + 1
        if misses > 1:
            continue
        keys = {"province": province_id, "category": category_code, "stars": stars, "cert": mask}
        if misses == 0:
            total += count
        for facet in (failing,) if misses else keys:
            raw[facet][keys[facet]] = raw[facet].get(keys[facet], 0) + count
    # A certification mask counts once per scheme it holds.
    certs = {}
    for mask, count in raw["cert"].items():
        for scheme, bit in CERT_BITS.items():
            if mask & bit:
                certs[scheme] = certs.get(scheme, 0) + count
    raw["cert"] = certs
    return total, raw


class EmbeddedEngine:
    name = "embedded"

    @property
    def vendor(self):
        return connection.vendor

    # --- querying -------------------------------------------------------------

    def _text_clause(self, words, prefix=False):
        """(cte, join, where, params) restricting rows to those containing every word."""
        if not words:
            return "", "", "", []
        if self.vendor == "postgresql":
            expression = " & ".join(f"{w}:*" if prefix and i == len(words) - 1 else w for i, w in enumerate(words))
            join = f"JOIN {DOCUMENT} d ON d.entry_id = e.page_id"
            return "", join, "d.search_vector @@ to_tsquery('simple', %s)", [expression]
        expression = " ".join(f'"{w}"*' if prefix and i == len(words) - 1 else f'"{w}"' for i, w in enumerate(words))
        # Materialised once: joined inline, SQLite would re-run the MATCH for every row.
        cte = f"WITH m AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM {FTS} WHERE {FTS} MATCH %s)"  # noqa: S608
        return cte, "JOIN m ON m.id = e.page_id", "", [expression]

    def _base(self, query):
        """WHERE fragments every row must meet: the visibility dates, and samples if asked."""
        on = query.on or timezone.localdate()
        clauses = ["e.signed_on <= %s", "e.expires_on > %s", "(e.revoked_on IS NULL OR e.revoked_on > %s)"]
        params = [on, on, on]
        if query.sample:
            clauses.append("e.sample_available = %s")
            params.append(True)
        return clauses, params

    def _filters(self, query, without=None):
        """WHERE fragments for every active facet filter except the one named `without`."""
        clauses, params = [], []
        if query.province is not None and without != "province":
            clauses.append("e.province_id = %s")
            params.append(query.province.pk)
        if query.category is not None and without != "category":
            # The group's codes listed, so the covering index on category_code can seek them.
            codes = query.category_codes
            clauses.append(f"e.category_code IN ({', '.join(['%s'] * len(codes))})")
            params += codes
        if query.stars and without != "stars":
            clauses.append("e.stars >= %s")
            params.append(query.stars)
        if query.certs and without != "cert":
            clauses.append("(e.cert_mask & %s) <> 0")
            params.append(query.cert_mask)
        return clauses, params

    def _from_where(self, query, words):
        """(cte, "FROM … WHERE …", params) for the rows that answer the whole query."""
        cte, join, text_where, text_params = self._text_clause(words)
        clauses, params = self._base(query)
        filters, filter_params = self._filters(query)
        clauses += filters
        params += filter_params
        if text_where:
            clauses.append(text_where)
        sql = f"FROM {ENTRY} e {join} WHERE " + " AND ".join(clauses)
        return cte, sql, (text_params + params) if cte else (params + text_params)

    def _counts_sql(self, query):
        """One statement for the total and every facet, each counted without its own filter.

        Each branch seeks through a covering index, so a narrow filter reads few rows.
        """
        base, base_params = self._base(query)
        branches, params = [], []
        for facet, key in (
            ("province", "CAST(e.province_id AS TEXT)"),
            ("category", "e.category_code"),
            ("stars", "CAST(e.stars AS TEXT)"),
            ("cert", "CAST(e.cert_mask AS TEXT)"),
            ("total", "''"),
        ):
            filters, filter_params = self._filters(query, without=facet)
            where = " AND ".join(base + filters)
            group_by = f" GROUP BY {key}" if facet != "total" else ""
            branches.append(f"SELECT '{facet}', {key}, COUNT(*) FROM {ENTRY} e WHERE {where}{group_by}")  # noqa: S608
            params += base_params + filter_params
        return " UNION ALL ".join(branches), params

    def _combination_counts(self, cursor, query, words):
        """The matching rows counted once per (province, stars, category, certs); _tally
        derives the total and every facet from those combinations."""
        cte, join, text_where, text_params = self._text_clause(words)
        base, base_params = self._base(query)
        if text_where:
            base.append(text_where)
        # In the covering index's order, so SQLite groups without sorting.
        columns = "e.province_id, e.stars, e.category_code, e.cert_mask"
        sql = f"{cte} SELECT {columns}, COUNT(*) FROM {ENTRY} e {join} WHERE {' AND '.join(base)} GROUP BY {columns}"  # noqa: S608
        cursor.execute(sql, (text_params + base_params) if cte else (base_params + text_params))
        return cursor.fetchall()

    def _order_by(self, query, words, rank=None):
        sort = query.sort
        if sort == "relevance" and words:
            if self.vendor == "postgresql":
                if rank:
                    return f"ORDER BY {rank} DESC, e.page_id", []
                return "ORDER BY ts_rank(d.search_vector, to_tsquery('simple', %s)) DESC, e.page_id", [
                    " & ".join(words)
                ]
            return f"ORDER BY {rank or 'm.score'}, e.page_id", []
        return {
            "relevance": "ORDER BY e.stars DESC, e.published_at DESC, e.page_id",
            "stars": "ORDER BY e.stars DESC, e.published_at DESC, e.page_id",
            "newest": "ORDER BY e.published_at DESC, e.page_id DESC",
            "name": "ORDER BY e.sort_name, e.page_id",
        }[sort], []

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
                    "SELECT word FROM catalogue_search_searchword WHERE word %% %s "
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

    def _text_search(self, query, words):
        """Text: one statement reads the matching rows once, then counts and pages them.

        The matches (with their rank) are materialised; one branch counts them per
        (province, stars, category, certs), the other numbers the requested page.
        """
        cte, join, text_where, text_params = self._text_clause(words)
        base, base_params = self._base(query)
        columns = "e.province_id, e.stars, e.category_code, e.cert_mask, e.published_at, e.sort_name"
        if self.vendor == "postgresql":
            # The matching documents carry copies of their entry's columns: no join.
            tsquery = " & ".join(words)
            base.append("e.search_vector @@ to_tsquery('simple', %s)")
            params = [tsquery, *base_params, tsquery]
            where = " AND ".join(base)
            matched = (
                f"base AS MATERIALIZED (SELECT e.entry_id AS page_id, {columns}, "  # noqa: S608
                f"ts_rank(e.search_vector, to_tsquery('simple', %s)) AS score FROM {DOCUMENT} e WHERE {where})"
            )
            prefix = "WITH "
        else:
            params, prefix = [*text_params, *base_params], f"{cte}, "
            where = " AND ".join(base)
            matched = (
                f"base AS MATERIALIZED (SELECT e.page_id, {columns}, m.score AS score "  # noqa: S608
                f"FROM {ENTRY} e {join} WHERE {where})"
            )
        filters, filter_params = self._filters(query)
        order_by = self._order_by(query, words, rank="e.score")[0]
        group = "e.province_id, e.stars, e.category_code, e.cert_mask"
        # Placeholders carry every value; only column names are formatted in.
        counted = f"SELECT 'count', {group}, COUNT(*) FROM base e GROUP BY {group}"  # noqa: S608
        # The page is cut first (a bounded sort), then its rows are numbered.
        page = (
            f"SELECT e.page_id, e.score, e.stars, e.published_at, e.sort_name FROM base e "  # noqa: S608
            f"WHERE {' AND '.join(filters) or '1 = 1'} {order_by} LIMIT %s OFFSET %s"
        )
        numbered = f"SELECT 'hit', e.page_id, 0, '', 0, ROW_NUMBER() OVER ({order_by}) FROM ({page}) e"  # noqa: S608
        sql = f"{prefix}{matched} {counted} UNION ALL {numbered}"
        params += [*filter_params, query.page_size, query.offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        hits = [(row[5], row[1]) for row in rows if row[0] == "hit"]
        total, counts = _tally(query, (row[1:] for row in rows if row[0] != "hit"))
        ids = [page_id for _position, page_id in sorted(hits)]
        return EngineAnswer(ids=ids, total=total, facet_counts=counts, engine=self.name)

    def _search(self, query, words):
        if words:
            return self._text_search(query, words)
        messages = []
        counts = {"province": {}, "category": {}, "stars": {}, "cert": {}}
        total = 0
        hits = None
        with connection.cursor() as cursor:
            # Narrow filters: one indexed pass per facet, and the page in the same statement.
            # No narrowing filter: one pass in all, then the page.
            if words or not (query.province or query.category or query.stars):
                total, counts = _tally(query, self._combination_counts(cursor, query, words))
                rows = []
            else:
                counts_sql, counts_params = self._counts_sql(query)
                _cte, from_where, params = self._from_where(query, words)
                order_by, order_params = self._order_by(query, words)
                # The page is cut first (a bounded sort), then its rows are numbered.
                page = f"SELECT e.page_id, e.stars, e.published_at, e.sort_name {from_where} {order_by}"
                cursor.execute(
                    f"{counts_sql} UNION ALL SELECT 'hit', CAST(e.page_id AS TEXT), "  # noqa: S608
                    f"ROW_NUMBER() OVER ({order_by}) FROM ({page} LIMIT %s OFFSET %s) e",
                    [*counts_params, *order_params, *params, *order_params, query.page_size, query.offset],
                )
                rows = cursor.fetchall()
                hits = sorted((position, int(page_id)) for facet, page_id, position in rows if facet == "hit")
            for facet, key, count in rows:
                if facet == "total":
                    total += count
                elif facet != "hit":
                    _count(counts, facet, key, count)
            ids = [page_id for _position, page_id in hits] if hits is not None else []
            if total and hits is None:
                cte, from_where, params = self._from_where(query, words)
                order_by, order_params = self._order_by(query, words)
                cursor.execute(
                    f"{cte} SELECT e.page_id {from_where} {order_by} LIMIT %s OFFSET %s",  # noqa: S608
                    params + order_params + [query.page_size, query.offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
        return EngineAnswer(ids=ids, total=total, facet_counts=counts, messages=messages, engine=self.name)

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
                    cert_mask=row.cert_mask,
                    published_at=row.published_at,
                    sort_name=row.sort_name,
                )
            )
            documents.append(
                SearchDocument(
                    entry_id=row.page_id,
                    document=row.document,
                    **{column: getattr(row, column) for column in COPIED_COLUMNS},
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
        SearchDocument.objects.filter(entry_id__in=page_ids).delete()
        SearchEntry.objects.filter(page_id__in=page_ids).delete()

    def rebuild(self, on=None):
        """Recreate every row in one transaction: readers see the old index until it commits."""
        count = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
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
        if self.vendor == "postgresql" and not connection.in_atomic_block:
            # Sets the visibility map, so facet counts stay index-only scans.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {ENTRY}")
        return count

    def describe(self):
        return f"embedded ({self.vendor})"


__all__ = ["EmbeddedEngine", "fold"]
