"""The embedded engine: full text inside the site's own database.

SQLite: an FTS5 table over SearchDocument's text fields. PostgreSQL: a tsvector per
SearchDocument (fields weighted A, B, C, the marked words D) in a narrow table with a GIN
index, and pg_trgm on the vocabulary for misspellings. A query is expanded with the
dictionary of trade terms (search.synonyms); the database returns, per alternative and
field, the ids holding it, and search/engines/relevance.py scores them. When nothing
matches as typed, a word the index has never seen is replaced by a known word one edit
away (both databases), then, on PostgreSQL, by its nearest trigram neighbour.

Totals, facet counts and the page come from the entries' columns held in memory
(search/engines/columns.py). Every query re-applies the visibility dates stored with each
entry, so a product whose record expires or is revoked today drops out without anyone
re-indexing it.
"""

import string

import numpy as np

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..indexing import all_rows, index_rows
from ..models import SearchDocument, SearchEntry, SearchWord
from ..query import EngineAnswer, SearchQuery, terms
from ..synonyms import concepts
from . import columns, relevance

ENTRY = SearchEntry._meta.db_table
DOCUMENT = SearchDocument._meta.db_table
FTS = "search_fts"
# PostgreSQL: the weighted tsvector of each document in a narrow table, kept by a trigger
# (migration 0004_narrow_vectors), so a query's matches take few heap pages.
VECTOR = "search_searchvector"
# relevance.FIELDS and the marked text (search.tones) -> the FTS5 column and the tsvector
# weight that hold it.
FTS_COLUMNS = {"name": "name_text", "description": "description_text", "other": "other_text", "marked": "marked_text"}
WEIGHT_LETTERS = {"name": "A", "description": "B", "other": "C", "marked": "D"}
SMALLINT = 32767
# Slots (phrase and field) one PostgreSQL aggregate packs beside a page id in a bigint.
SLOT_BITS = 31
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

    def _phrase(self, phrase, field=None, prefix=False):
        """One phrase as the database's full-text syntax, in one field or any (last word a prefix)."""
        if self.vendor == "postgresql":
            weight = WEIGHT_LETTERS[field] if field else ""
            last = len(phrase) - 1
            return " <-> ".join(
                f"{w}:{'*' if prefix and i == last else ''}{weight}".rstrip(":") for i, w in enumerate(phrase)
            )
        text = f'"{" ".join(phrase)}"' + ("*" if prefix else "")
        return f"{FTS_COLUMNS[field]} : {text}" if field else text

    def _found(self, alternatives, prefix_last=False, exact=None):
        """Per alternative: {field: ids holding it}, from one statement per concept; with the
        ids holding `exact` (the phrase as typed, marks kept) in the marked text last."""
        slots = []
        for index, phrase in enumerate(alternatives):
            prefix = prefix_last and index == 0
            slots.extend((phrase, field, prefix) for field in relevance.FIELDS)
        if exact:
            slots.append((exact, "marked", False))
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                found = self._found_postgresql(cursor, slots, alternatives, prefix_last)
            else:
                selects = ", ".join(f"(SELECT group_concat(rowid, ',') FROM {FTS} WHERE {FTS} MATCH %s)" for _ in slots)  # noqa: S608
                cursor.execute(f"SELECT {selects}", [self._phrase(p, f, x) for p, f, x in slots])
                row = cursor.fetchone() or [None] * len(slots)
                found = [_ids(text) for text in row]
        per_alternative = [
            dict(zip(relevance.FIELDS, found[i * len(relevance.FIELDS) : (i + 1) * len(relevance.FIELDS)], strict=True))
            for i in range(len(alternatives))
        ]
        return per_alternative, (found[-1] if exact else None)

    def _found_postgresql(self, cursor, slots, alternatives, prefix_last):
        """Per slot, the ids holding it: each matching entry read once, its slots as bits.

        Folded words need no parsing: a tsquery literal is a constant, where to_tsquery()
        would be evaluated again for every row it is tested on. Each entry comes back once,
        as id * 2**n + one bit per slot it holds (n slots per aggregate, at most SLOT_BITS,
        so the number stays within a bigint): one aggregate instead of one per slot took a
        text query at 200,000 products from about 30 to 23 ms.
        """
        chunks = [slots[i : i + SLOT_BITS] for i in range(0, len(slots), SLOT_BITS)] or [[]]
        selects = ", ".join(
            "string_agg((d.entry_id::bigint * {} + {})::text, ',')".format(
                1 << len(chunk),
                " + ".join(f"(d.search_vector @@ %s::tsquery)::int * {1 << bit}" for bit in range(len(chunk))) or "0",
            )
            for chunk in chunks
        )
        anywhere = " | ".join(
            f"({self._phrase(phrase, prefix=prefix_last and i == 0)})" for i, phrase in enumerate(alternatives)
        )
        cursor.execute(
            f"SELECT {selects} FROM {VECTOR} d WHERE d.search_vector @@ %s::tsquery",  # noqa: S608
            [*(self._phrase(p, f, x) for p, f, x in slots), anywhere],
        )
        row = cursor.fetchone() or [None] * len(chunks)
        found = []
        for chunk, text in zip(chunks, row, strict=True):
            packed = _ids(text)  # ascending, so the ids below are too
            ids = packed >> len(chunk)
            found.extend(ids[(packed >> bit) & 1 == 1] for bit in range(len(chunk)))
        return found

    def _matching(self, held, words, prefix=False, marked=None):
        """(page ids, scores) of the entries matching every concept of these words.

        `marked` (search.tones.marked_terms, one token per word, or None) is what the buyer
        typed with its marks: a concept typed with marks also asks which entries hold that
        exact spelling, and relevance ranks those first.
        """
        found, exact_ids = [], []
        query_concepts = concepts(words)
        start = 0
        for position, concept in enumerate(query_concepts):
            last = position == len(query_concepts) - 1
            prefix_last = prefix and last
            exact = _exact(concept, marked, start) if not prefix_last else None
            start += len(concept.typed)
            per_alternative, exact_found = self._found(concept.alternatives, prefix_last=prefix_last, exact=exact)
            weights = [1.0] + [relevance.ALTERNATIVE] * (len(concept.alternatives) - 1)
            found.append(list(zip(weights, per_alternative, strict=True)))
            exact_ids.append(exact_found)
        return relevance.score(held, found, exact=exact_ids)

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
            messages.append(
                gettext("No exact match; showing results for “%(words)s”.") % {"words": " ".join(corrected)}
            )
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
        answer = self._search(query, query.terms, marked=query.marked)
        if answer.total == 0 and query.terms:
            # Nothing matches as typed: try again with unknown words replaced by known ones.
            words, messages = self.correct(query.terms)
            corrected = self._search(query, words) if words != query.terms else None
            if corrected is not None and corrected.total:
                corrected.messages = messages
                return corrected
        return answer

    def _search(self, query, words, prefix=False, marked=None):
        """Full text in the database; scores, totals, facet counts and the page in memory."""
        held = columns.current()
        matches, scores = self._matching(held, words, prefix=prefix, marked=marked) if words else (None, None)
        found = columns.answer(held, query, matches=matches, scores=scores)
        return EngineAnswer(ids=found.ids, total=found.total, facet_counts=found.counts, engine=self.name)

    def suggest(self, q, limit=10, on=None):
        """Page ids for the search box: the same matching and ranking, the last word a prefix."""
        words = terms(q)
        if not words:
            return []
        query = SearchQuery(q=q, page_size=limit, on=on or timezone.localdate())
        return self._search(query, words, prefix=True, marked=query.marked).ids

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
                    reply_minutes=row.reply_minutes,
                    name_words=min(len(row.name_text.split()), SMALLINT),
                    description_words=min(len(row.description_text.split()), SMALLINT),
                    other_words=min(len(row.other_text.split()), SMALLINT),
                )
            )
            documents.append(
                SearchDocument(
                    entry_id=row.page_id,
                    name_text=row.name_text,
                    description_text=row.description_text,
                    other_text=row.other_text,
                    marked_text=row.marked_text,
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
            # First, so the version row's lock orders this write among the others.
            columns.log_change(page_ids)
            self._delete(page_ids)
            return self._write(rows)

    def remove(self, page_ids):
        with transaction.atomic():
            columns.log_change(page_ids)
            self._delete(page_ids)

    def _delete(self, page_ids):
        SearchDocument.objects.filter(entry_id__in=page_ids).delete()
        SearchEntry.objects.filter(page_id__in=page_ids).delete()

    def rebuild(self, on=None):
        """Recreate every row in one transaction: readers see the old index until it commits."""
        count = 0
        with transaction.atomic():
            columns.new_generation()
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
                tables = [ENTRY, DOCUMENT, SearchWord._meta.db_table]
                for table in [*tables, VECTOR] if self.vendor == "postgresql" else tables:
                    cursor.execute(f"ANALYZE {table}")
        return count

    def describe(self):
        return f"embedded ({self.vendor})"


def _exact(concept, marked, start):
    """The concept's words as typed with their marks (a tuple), or None when typed without any."""
    if not marked:
        return None
    typed = tuple(marked[start : start + len(concept.typed)])
    return typed if typed != concept.typed else None


def _ids(text):
    """Page ids from a comma-separated string, ascending: numpy parses it faster than rows.

    One aggregate names each entry once, so a sort is enough (np.unique hashes, four times
    the cost at 7,000 ids); SQLite already returns rowid order, PostgreSQL its heap order.
    """
    if not text:
        return np.empty(0, dtype=np.int64)
    return np.sort(np.fromstring(text, dtype=np.int64, sep=","))


__all__ = ["EmbeddedEngine"]
