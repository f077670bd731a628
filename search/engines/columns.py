"""The embedded engine's facet columns: every index entry's filter and sort values as arrays.

Facet counts are exact, so they read every match. Read from the database that costs a row
lookup and a group-by per match, and grows with the catalogue (about 20 ms for the 7,590
matches of a common query among 200,000 products). Here each process keeps the narrow
columns of SearchEntry as numpy arrays; a query's database work is only the full-text
match (the matching ids), and the counts and the page are a few vectorised passes over
those arrays. The words of every product name are kept too (a small inverted index), so
relevance can put name matches first without asking the database again.

The database stays the source of truth. Every write to the index stamps a new random
IndexVersion in the same transaction; each search reads the stamp (a primary-key lookup)
and reloads the arrays when it differs from the one they were loaded at. A random stamp,
not a counter, so a rolled-back transaction can never make two different states look alike.
"""

import dataclasses
import datetime
import threading
import uuid
from dataclasses import dataclass

import numpy as np

from django.db import connection
from django.utils import timezone

from catalogue.text import fold

from ..contract import FACETS, QUALITY_BITS
from ..models import IndexVersion, SearchEntry

ENTRY = SearchEntry._meta.db_table
EPOCH = datetime.date(1970, 1, 1)
NEVER = 2**31 - 1  # the day of a record that is not revoked
# Dates as whole days since 1970 and times as milliseconds, computed by the database: converting
# 200,000 rows of date objects in Python took longer than reading them.
DAYS = {
    "sqlite": "CAST(julianday({}) - 2440587.5 AS INTEGER)",
    "postgresql": "({} - DATE '1970-01-01')",
}
MILLISECONDS = {
    # julianday() is a double: exact to well under a millisecond for these dates.
    "sqlite": "CAST(ROUND((julianday({}) - 2440587.5) * 86400000) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM {}) * 1000 AS BIGINT)",
}


@dataclass(frozen=True)
class Columns:
    version: str | None
    ids: np.ndarray  # page ids, ascending: a match's position is found by binary search
    province: np.ndarray
    stars: np.ndarray
    category: np.ndarray  # index into `codes`
    codes: tuple
    quality: np.ndarray  # quality-certification bit masks
    sample: np.ndarray
    signed: np.ndarray  # days since 1970
    expires: np.ndarray
    revoked: np.ndarray  # NEVER when not revoked
    ranks: dict  # sort name -> each entry's position in that order
    named: dict  # word -> positions of the entries whose name holds it (relevance)

    def __len__(self):
        return len(self.ids)


def _ranks(order):
    """Each position's rank in `order` (a permutation of positions)."""
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def load():
    """Read the entry table into arrays: one pass, plus the name order from its index."""
    vendor = connection.vendor
    days, milliseconds = DAYS[vendor].format, MILLISECONDS[vendor].format
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.page_id, e.province_id, e.stars, e.quality_mask, "  # noqa: S608
            f"CASE WHEN e.sample_available THEN 1 ELSE 0 END, {days('e.signed_on')}, {days('e.expires_on')}, "
            f"COALESCE({days('e.revoked_on')}, {NEVER}), COALESCE({milliseconds('e.published_at')}, 0) "
            f"FROM {ENTRY} e ORDER BY e.page_id"
        )
        numbers = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 9)
        cursor.execute(f"SELECT e.category_code FROM {ENTRY} e ORDER BY e.page_id")  # noqa: S608
        codes = [row[0] for row in cursor.fetchall()]
        # Names sort in the database, with its collation (as ORDER BY sort_name always did).
        cursor.execute(f"SELECT e.page_id, e.sort_name, e.name_en FROM {ENTRY} e ORDER BY e.sort_name, e.page_id")  # noqa: S608
        names = cursor.fetchall()
    by_name = np.array([row[0] for row in names], dtype=np.int64)
    ids, province, stars, quality, sample, signed, expires, revoked, published = numbers.T
    name_order = np.searchsorted(ids, by_name)
    code_list, category = np.unique(np.array(codes, dtype=str), return_inverse=True)
    return Columns(
        version=None,
        ids=ids.copy(),
        province=province.copy(),
        stars=stars.copy(),
        category=category.astype(np.int64).reshape(-1),
        codes=tuple(str(code) for code in code_list),
        quality=quality.copy(),
        sample=sample.astype(bool),
        signed=signed.copy(),
        expires=expires.copy(),
        revoked=revoked.copy(),
        ranks={
            # Stars (also relevance without words): stars, then newest, then page id.
            "stars": _ranks(np.lexsort((ids, -published, -stars))),
            "newest": _ranks(np.lexsort((-ids, -published))),
            "name": _ranks(name_order),
        },
        named=_name_words(name_order, names),
    )


def _name_words(positions, names):
    """{folded word: sorted positions of the entries whose Vietnamese or English name has it}."""
    found = {}
    for position, (_page_id, sort_name, name_en) in zip(positions.tolist(), names, strict=True):
        # sort_name is folded already.
        for word in {*sort_name.split(), *fold(name_en).split()}:
            found.setdefault(word, []).append(position)
    return {word: np.sort(np.array(at, dtype=np.int64)) for word, at in found.items()}


_cache = {"columns": None}
_lock = threading.Lock()


def current():
    """The arrays as of the index's current version, reloaded if another write came since."""
    version = IndexVersion.objects.filter(pk=1).values_list("generation", flat=True).first()
    columns = _cache["columns"]
    if columns is not None and version is not None and columns.version == version:
        return columns
    with _lock:
        columns = _cache["columns"]
        if columns is not None and version is not None and columns.version == version:
            return columns  # another thread loaded it meanwhile
        # Loaded after reading the stamp: the arrays are at least as new as their label,
        # and a newer stamp on the next search triggers another load. No stamp at all
        # (a database flushed by tests) is never trusted.
        columns = dataclasses.replace(load(), version=version)
        _cache["columns"] = columns
    return columns


def stamp():
    """Mark the index changed; call inside the transaction that changes it."""
    IndexVersion.objects.update_or_create(pk=1, defaults={"generation": uuid.uuid4().hex})


@dataclass
class Answer:
    ids: list
    total: int
    counts: dict


def named(columns, words, positions):
    """For each of these positions, whether that entry's name holds every word."""
    held = np.ones(len(positions), dtype=bool)
    for word in words:
        at = columns.named.get(word)
        if at is None:
            return np.zeros(len(positions), dtype=bool)
        # Membership by binary search in the word's sorted positions.
        found = np.searchsorted(at, positions)
        found[found == len(at)] = 0
        held &= at[found] == positions
    return held


def answer(columns, query, matches=None, words=None):
    """Total, facet counts and the page of ids for a query.

    `matches` (page ids, any order) restricts the answer to full-text matches; when
    sorting by relevance, those whose name holds every one of `words` lead.
    """
    ids = columns.ids
    if matches is not None:
        matches = np.asarray(matches, dtype=np.int64)
        at = np.searchsorted(ids, matches)
        known = at < len(ids)
        known[known] = ids[at[known]] == matches[known]
        at = at[known]

        def take(array):
            return array[at]
    else:
        at = None

        def take(array):
            return array

    on = ((query.on or timezone.localdate()) - EPOCH).days
    base = (take(columns.signed) <= on) & (take(columns.expires) > on) & (take(columns.revoked) > on)
    if query.sample:
        base &= take(columns.sample)

    province, stars = take(columns.province), take(columns.stars)
    category, quality = take(columns.category), take(columns.quality)
    masks = {}
    if query.province is not None:
        masks["province"] = province == query.province.pk
    if query.category is not None:
        wanted = np.zeros(len(columns.codes) + 1, dtype=bool)
        wanted[[columns.codes.index(c) for c in query.category_codes if c in columns.codes]] = True
        masks["category"] = wanted[category]
    if query.stars:
        masks["stars"] = stars >= query.stars
    if query.qualities:
        masks["quality"] = (quality & query.quality_mask) != 0

    def meeting(without=None):
        mask = base
        for facet, facet_mask in masks.items():
            if facet != without:
                mask = mask & facet_mask
        return mask

    everything = meeting()
    # Each facet is counted under every other active filter (its own left out).
    under = {facet: meeting(facet) if facet in masks else everything for facet in FACETS}
    counts = {
        "province": _counted(province[under["province"]]),
        "category": {columns.codes[k]: n for k, n in _counted(category[under["category"]]).items()},
        "stars": _counted(stars[under["stars"]]),
        "quality": {},
    }
    held = quality[under["quality"]]
    for scheme, bit in QUALITY_BITS.items():
        count = int(np.count_nonzero(held & bit))
        if count:
            counts["quality"][scheme] = count

    chosen = np.flatnonzero(everything)
    start, end = query.offset, query.offset + query.page_size
    sort = "stars" if query.sort == "relevance" else query.sort
    rank = take(columns.ranks[sort])[chosen]
    if words and query.sort == "relevance":
        # Name matches ahead of the rest, each part in stars-then-newest order.
        positions = at[chosen] if at is not None else chosen
        rank = rank + len(ids) * ~named(columns, words, positions)
    if len(rank) > end:
        # Only the first `end` need sorting: a partial sort keeps this linear.
        leading = np.argpartition(rank, end - 1)[:end]
        order = leading[np.argsort(rank[leading])][start:end]
    else:
        order = np.argsort(rank)[start:end]
    page = take(ids)[chosen[order]]
    return Answer(ids=[int(i) for i in page], total=int(len(chosen)), counts=counts)


def _counted(values):
    """{value: how many times}, for small non-negative integers (ids, stars, code indexes)."""
    counts = np.bincount(values)
    found = np.flatnonzero(counts)
    return {int(k): int(n) for k, n in zip(found, counts[found], strict=True)}
