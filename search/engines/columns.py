"""The embedded engine's facet columns: every index entry's filter and sort values as arrays.

Facet counts are exact, so they read every match. Read from the database that costs a row
lookup and a group-by per match, and grows with the catalogue. Here each process keeps the
narrow columns of SearchEntry as numpy arrays; a query's database work is only the
full-text match (the matching ids), and the counts, the scores and the page are a few
vectorised passes over those arrays.

The database stays the source of truth, and a change costs a process only what changed.
Every write to the index locks the one IndexVersion row, increments its `seq`, gives it a
new random `token` and logs the touched page ids as IndexChange(seq) in the same
transaction (`log_change`). The row lock makes seq values commit in the order they were
handed out, so a reader that has seen seq N has seen every change up to N. Each search
reads the version (a primary-key lookup): at the columns' own seq and token it reuses them;
at a later seq it reads the logged changes after its own, rereads just those entries and
builds new arrays from the old ones; on a new generation (a rebuild), a pruned log or a
token it does not recognise (a rolled-back write it had seen) it reloads everything.

Columns objects are never mutated: a patch builds new arrays and swaps the object in under
a lock, so a thread still answering from the old one is unaffected.
"""

import datetime
import threading
import uuid
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from django.db import connection, transaction
from django.utils import timezone

from catalogue.working_hours import DAY_MINUTES

from ..models import IndexChange, IndexVersion, SearchEntry
from ..query import FACETS, QUALITY_BITS

ENTRY = SearchEntry._meta.db_table
EPOCH = datetime.date(1970, 1, 1)
NEVER = 2**31 - 1  # the day of a record that is not revoked
# Sort keys pack (5 - stars) above the milliseconds before MAX_MS a product was published,
# so one int64 orders by stars, then newest. 2**43 ms reaches the year 2248.
MAX_MS = 2**43 - 1
STARS_SHIFT = 44
NAME_BYTES = 32  # folded-name prefix held in memory; longer ties are settled from the database
KEEP_CHANGES = 10_000  # log rows kept; a process further behind reloads everything
MAX_PATCH = 2_000  # changed entries beyond which one full read is cheaper than a patch
READ_CHUNK = 10_000  # entry rows turned into arrays at a time
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
# (name, dtype) of the numeric columns, in the order the entry query returns them.
NUMERIC = (
    ("ids", np.int32),
    ("province", np.int32),
    ("stars", np.int8),
    ("quality", np.int32),
    ("sample", np.bool_),
    ("signed", np.int32),
    ("expires", np.int32),
    ("revoked", np.int32),
    ("published", np.int64),  # folded into `order` below, not kept
    ("name_len", np.int16),
    ("description_len", np.int16),
    ("other_len", np.int16),
    ("reply", np.int32),
)
ARRAYS = ("ids", "province", "stars", "category", "quality", "sample", "signed", "expires", "revoked")
ARRAYS += ("order", "names", "name_len", "description_len", "other_len", "reply")


@dataclass(frozen=True)
class Columns:
    generation: str | None
    seq: int
    token: str | None
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
    order: np.ndarray  # (5 - stars) << 44 | (MAX_MS - published ms): ascending is stars, then newest
    names: np.ndarray  # the first NAME_BYTES bytes of the folded title
    name_len: np.ndarray  # words in each text field, for relevance
    description_len: np.ndarray
    other_len: np.ndarray
    reply: np.ndarray  # the producer's median working minutes to a first reply; NEVER when unmeasured

    def __post_init__(self):
        # Read-only: a patch shares the arrays it does not change with the Columns before it,
        # which other threads may still be answering from.
        for name in ARRAYS:
            getattr(self, name).flags.writeable = False

    def __len__(self):
        return len(self.ids)

    def nbytes(self):
        return sum(getattr(self, name).nbytes for name in ARRAYS)

    @cached_property
    def field_lengths(self):
        """{relevance field: (each entry's word count, the mean, at least 1)}, once per version."""
        found = {}
        for field, column in (
            ("name", self.name_len),
            ("description", self.description_len),
            ("other", self.other_len),
        ):
            found[field] = (column, max(float(column.mean()) if len(column) else 1.0, 1.0))
        return found


def _read(where="", params=()):
    """The entry rows (all, or those `where` selects) as {column name: array}, by page id."""
    vendor = connection.vendor
    days, milliseconds = DAYS[vendor].format, MILLISECONDS[vendor].format
    # One statement, so every column comes from the same snapshot of the table.
    select = (
        "SELECT e.page_id, e.province_id, e.stars, e.quality_mask, "  # noqa: S608
        f"CASE WHEN e.sample_available THEN 1 ELSE 0 END, {days('e.signed_on')}, {days('e.expires_on')}, "
        f"COALESCE({days('e.revoked_on')}, {NEVER}), COALESCE({milliseconds('e.published_at')}, 0), "
        f"e.name_words, e.description_words, e.other_words, COALESCE(e.reply_minutes, {NEVER}), "
        "e.category_code, e.sort_name "
        f"FROM {ENTRY} e {where} ORDER BY e.page_id"
    )
    parts = []
    # Streamed in chunks (on PostgreSQL through a server-side cursor, which needs the
    # transaction): all 200,000 rows at once as Python tuples took 134 MB at the peak, and
    # the allocator kept some 100 MB of it after they were freed.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(select, list(params))
        while rows := cursor.fetchmany(READ_CHUNK):
            parts.append(_arrays(rows))
            del rows
    if not parts:
        parts.append(_arrays([]))
    found = {name: np.concatenate([part[name] for part in parts]) for name in parts[0] if name != "codes"}
    found["codes"] = [code for part in parts for code in part["codes"]]
    published = np.clip(found.pop("published"), 0, MAX_MS)
    found["order"] = ((5 - found["stars"].astype(np.int64)) << STARS_SHIFT) | (MAX_MS - published)
    return found


def _arrays(rows):
    """One chunk of `_read`'s rows as {column name: array}, the category codes as a list."""
    values = list(zip(*rows, strict=True)) if rows else [()] * (len(NUMERIC) + 2)
    found = {name: np.array(values[i], dtype=dtype) for i, (name, dtype) in enumerate(NUMERIC)}
    found["codes"] = list(values[len(NUMERIC)])
    found["names"] = np.array([name.encode()[:NAME_BYTES] for name in values[len(NUMERIC) + 1]], dtype=f"S{NAME_BYTES}")
    return found


def _columns(found, codes, generation, seq, token):
    """A Columns from `_read` output, its category codes indexed into `codes` (extended as needed)."""
    position = {code: i for i, code in enumerate(codes)}
    for code in found["codes"]:
        if code not in position:
            position[code] = len(position)
    codes = tuple(position)
    category = np.array([position[code] for code in found["codes"]], dtype=np.int16)
    arrays = {name: found[name] for name in ARRAYS if name != "category"}
    return Columns(generation=generation, seq=seq, token=token, category=category, codes=codes, **arrays)


def load(generation=None, seq=0, token=None):
    """Every entry, read into arrays in one pass."""
    return _columns(_read(), (), generation, seq, token)


def patch(columns, page_ids, generation, seq, token):
    """New Columns: `columns` with the entries of `page_ids` reread (added, changed or gone)."""
    page_ids = np.unique(np.asarray(page_ids, dtype=np.int32))
    kept = ~np.isin(columns.ids, page_ids, assume_unique=True)
    placeholders = ", ".join(["%s"] * len(page_ids)) or "NULL"
    found = _read(f"WHERE e.page_id IN ({placeholders})", [int(i) for i in page_ids])
    fresh = _columns(found, columns.codes, generation, seq, token)
    if len(fresh) == len(page_ids) == len(columns) - np.count_nonzero(kept):
        # Every entry is still there (the usual re-index): an array whose values changed is
        # copied and overwritten; the others are shared with `columns` (no array is ever
        # written once built). Copying all of them took 1.5 ms at 200,000 entries, for a
        # re-index that usually changes one or two.
        where = np.searchsorted(columns.ids, fresh.ids)
        arrays = {}
        for name in ARRAYS:
            held, changed = getattr(columns, name), getattr(fresh, name)
            if np.array_equal(held[where], changed):
                arrays[name] = held
            else:
                arrays[name] = held.copy()
                arrays[name][where] = changed
    else:
        # Entries came or went: the untouched ones with the reread ones inserted in page-id order.
        where = np.searchsorted(columns.ids[kept], fresh.ids)
        arrays = {name: np.insert(getattr(columns, name)[kept], where, getattr(fresh, name)) for name in ARRAYS}
    return Columns(generation=generation, seq=seq, token=token, codes=fresh.codes, **arrays)


_cache = {"columns": None}
_lock = threading.Lock()


def version():
    """(generation, seq, token) of the index, or None if it has never been written."""
    return IndexVersion.objects.filter(pk=1).values_list("generation", "seq", "token").first()


def _changes_since(columns, seq):
    """Page ids changed after `columns` up to `seq`, or None when the log cannot say."""
    logged = list(
        IndexChange.objects.filter(seq__gte=columns.seq, seq__lte=seq)
        .order_by("seq")
        .values_list("seq", "token", "page_ids")
    )
    if columns.seq > 0:
        # The columns' own write must be the committed one, not one rolled back since.
        if not logged or logged[0][0] != columns.seq or logged[0][1] != columns.token:
            return None
        logged = logged[1:]
    if [s for s, _token, _ids in logged] != list(range(columns.seq + 1, seq + 1)):
        return None  # pruned, or (impossible by the row lock) a gap
    return [int(i) for _s, _token, ids in logged for i in ids.split(",") if i]


def current():
    """The arrays as of the index's current version: reused, patched or reloaded."""
    stamp = version()
    columns = _cache["columns"]
    if columns is not None and stamp is not None and (columns.generation, columns.seq, columns.token) == stamp:
        return columns
    with _lock:
        columns = _cache["columns"]
        if stamp is None:
            # No version row at all (a database flushed by tests): never trusted.
            columns = load()
        elif columns is not None and (columns.generation, columns.seq, columns.token) == stamp:
            return columns  # another thread caught up meanwhile
        else:
            generation, seq, token = stamp
            changed = None
            if columns is not None and columns.generation == generation and columns.seq < seq:
                changed = _changes_since(columns, seq)
            # Read after the version: the arrays are at least as new as their label, and a
            # later seq on the next search rereads whatever changed meanwhile.
            if changed is None or len(changed) > max(MAX_PATCH, len(columns) // 10):
                columns = load(generation, seq, token)
            else:
                columns = patch(columns, changed, generation, seq, token)
        _cache["columns"] = columns
    return columns


def _locked_version():
    version = IndexVersion.objects.select_for_update().filter(pk=1).first()
    if version is None:
        version = IndexVersion.objects.create(pk=1, generation=uuid.uuid4().hex, seq=0)
    return version


def log_change(page_ids):
    """Number this write and log the products it touches; call first in its transaction.

    The IndexVersion row stays locked until the transaction ends, so writers commit in seq order.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_change belongs inside the transaction of the write it logs")
    version = _locked_version()
    version.seq += 1
    version.token = uuid.uuid4().hex
    version.save(update_fields=["seq", "token"])
    IndexChange.objects.create(seq=version.seq, token=version.token, page_ids=",".join(str(int(i)) for i in page_ids))
    if version.seq % 100 == 0:
        IndexChange.objects.filter(seq__lte=version.seq - KEEP_CHANGES).delete()
    return version.seq


def new_generation():
    """Mark the index rebuilt (every process reloads); call first in the rebuild's transaction."""
    version = _locked_version()
    version.generation = uuid.uuid4().hex
    version.seq += 1
    version.token = uuid.uuid4().hex
    version.save()
    IndexChange.objects.all().delete()
    # Logged (touching nothing), so processes at this seq can check their token against it.
    IndexChange.objects.create(seq=version.seq, token=version.token, page_ids="")


@dataclass
class Answer:
    ids: list
    total: int
    counts: dict


def answer(columns, query, matches=None, scores=None):
    """Total, facet counts and the page of ids for a query.

    `matches` (page ids, ascending and unique) restricts the answer to full-text matches and
    `scores` (one per match) is their relevance: sorting by relevance orders by score, then
    stars, newest and page id; without scores relevance is the stars order.
    """
    ids = columns.ids
    if matches is not None:
        matches = np.asarray(matches, dtype=np.int64)
        at = np.searchsorted(ids, matches)
        known = at < len(ids)
        known[known] = ids[at[known]] == matches[known]
        at = at[known]
        if scores is not None:
            scores = np.asarray(scores, dtype=np.float64)[known]

        def take(array):
            return array[at]
    else:

        def take(array):
            return array

    on = ((query.on or timezone.localdate()) - EPOCH).days
    base = (take(columns.signed) <= on) & (take(columns.expires) > on) & (take(columns.revoked) > on)
    if query.sample:
        base &= take(columns.sample)
    if query.responds:
        base &= take(columns.reply) <= query.responds * DAY_MINUTES

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
    page_ids = take(ids)[chosen].astype(np.int64)
    order = take(columns.order)[chosen]
    if query.sort == "newest":
        # Newest first, then the higher page id.
        position = _top(order & ((1 << STARS_SHIFT) - 1), [-page_ids], start, end)
    elif query.sort == "responsive":
        # Fastest median reply first (unmeasured producers last), then stars and newest.
        position = _top(take(columns.reply)[chosen].astype(np.int64), [order, page_ids], start, end)
    elif query.sort == "name":
        position = _by_name(take(columns.names)[chosen], page_ids, start, end)
    elif query.sort == "relevance" and scores is not None:
        position = _top(-scores[chosen], [order, page_ids], start, end)
    else:
        position = _top(order, [page_ids], start, end)
    return Answer(ids=[int(i) for i in page_ids[position]], total=int(len(chosen)), counts=counts)


def _top(primary, ties, start, end):
    """Positions start..end in ascending order of `primary`, then of each array in `ties`.

    Only the entries up to the end-th value of `primary` (with every entry equal to it)
    are sorted: a partial selection keeps a page linear in the number of matches.
    """
    if len(primary) > end:
        boundary = np.partition(primary, end - 1)[end - 1]
        candidates = np.flatnonzero(primary <= boundary)
    else:
        candidates = np.arange(len(primary))
    keys = [tie[candidates] for tie in reversed(ties)] + [primary[candidates]]
    return candidates[np.lexsort(keys)][start:end]


def _by_name(names, page_ids, start, end):
    """Positions start..end in folded-name order, then page id (as ORDER BY sort_name, page_id)."""
    if not len(names):
        return np.arange(0)
    # The first eight bytes, big-endian, order as the bytes do: select on them first.
    prefix = np.ascontiguousarray(names).view(">u8").reshape(len(names), -1)[:, 0]
    candidates = _top(prefix, [names, page_ids], 0, end)
    boundary = names[candidates[-1]]
    if len(boundary) < NAME_BYTES:
        return candidates[start:end]
    # The last name may be cut short: every entry sharing its prefix competes for the page,
    # and names the prefix cannot tell apart are ordered by their full folded names.
    candidates = np.union1d(candidates, np.flatnonzero(names == boundary))
    held = names[candidates]
    cut = held[np.char.str_len(held) >= NAME_BYTES]
    shared, count = np.unique(cut, return_counts=True)
    tied = set(shared[count > 1].tolist())
    ids = [int(i) for i in page_ids[candidates]]
    clash = [i for i, name in zip(ids, held.tolist(), strict=True) if name in tied]
    full = dict(SearchEntry.objects.filter(page_id__in=clash).values_list("page_id", "sort_name")) if clash else {}
    keys = [(full.get(i) or name.decode(), i) for i, name in zip(ids, held.tolist(), strict=True)]
    settled = sorted(range(len(candidates)), key=keys.__getitem__)
    return candidates[settled][start:end]


def _counted(values):
    """{value: how many times}, for small non-negative integers (ids, stars, code indexes)."""
    counts = np.bincount(values)
    found = np.flatnonzero(counts)
    return {int(k): int(n) for k, n in zip(found, counts[found], strict=True)}
