"""Relevance for the embedded engine: a field-weighted BM25-style score, computed in numpy.

The database answers, for every alternative of every concept of a query (see
search.synonyms), which entries hold it in each field: the name (title and English name),
the description, and the rest (producer, provinces, product groups, quality labels). A
product matches when every concept matches in some field. Its score is the sum over
concepts of

    idf(concept) * sum over fields of weight(field) * m * (K1 + 1) / (m + K1 * (1 - B + B * len / avg_len))

where m is 1 when the words as typed are in that field, ALTERNATIVE when only another
term of the dictionary is, 0 otherwise; len is the field's word count and avg_len its mean
over the index; idf comes from how many entries hold the concept at all. Field weights put
a name match above a description match above a producer, province or group match, so
stars and freshness only break ties. The inputs are sets of ids and small integer
columns, so SQLite and PostgreSQL rank identically.

A concept the buyer typed with diacritics also names the entries holding that exact
spelling (search.tones): each adds EXACT, more than any sum of the terms above can reach,
so "mè" (sesame) ranks every product spelt "mè" above those that only fold to "me"
(tamarind), and by the score above within each.
"""

import math

import numpy as np

FIELDS = ("name", "description", "other")
WEIGHTS = {"name": 3.0, "description": 1.5, "other": 0.5}
ALTERNATIVE = 0.8  # a dictionary term counts a little less than the words the buyer typed
# Per concept matched with the marks as typed. A concept's score is at most
# idf * sum(WEIGHTS) * (K1 + 1), about 150 at 10 million entries; 32 concepts stay below 10**4.
EXACT = 10_000.0
K1 = 1.2
B = 0.75


def _holds(sorted_ids, wanted):
    """For each of `wanted`, whether the sorted array `sorted_ids` holds it."""
    if not len(sorted_ids):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    return sorted_ids[at] == wanted


def _union(parts):
    """The ids in any of these sorted arrays, ascending: a sort and a mask, where np.unique
    would hash them (several times slower at tens of thousands of ids)."""
    if not parts:
        return np.empty(0, dtype=np.int64)
    ids = np.sort(np.concatenate(parts))
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))] if len(ids) else ids


def score(columns, concepts, exact=None):
    """(matching page ids ascending, their scores) for concepts found in the database.

    `concepts` holds, per concept, a list of (weight, {field: page ids ascending}) per
    alternative; `exact`, per concept, the page ids (ascending) holding it spelt as typed, or
    None (typed unmarked).
    Only the products matching every concept are scored, each by binary search in the
    sorted id lists (no set operation over a whole list).
    """
    if not concepts:
        return np.empty(0, dtype=np.int64), np.empty(0)
    held = []
    for alternatives in concepts:
        parts = [found[f] for _w, found in alternatives for f in FIELDS if len(found[f])]
        held.append(_union(parts))
    matched = held[0]
    for ids in held[1:]:
        matched = np.intersect1d(matched, ids, assume_unique=True)
    matched = matched.astype(np.int64)

    total = len(columns)
    at = np.clip(np.searchsorted(columns.ids, matched), 0, max(total - 1, 0))
    norms = {}
    for field, (column, average) in columns.field_lengths.items():
        length = column[at].astype(np.float64) if total else np.zeros(len(matched))
        norms[field] = K1 * (1 - B + B * length / average)

    scores = np.zeros(len(matched), dtype=np.float64)
    for ids, alternatives in zip(held, concepts, strict=True):
        frequency = len(ids)
        idf = math.log(1 + (max(total, frequency) - frequency + 0.5) / (frequency + 0.5))
        for field in FIELDS:
            mark = np.zeros(len(matched), dtype=np.float64)
            for weight, found in alternatives:
                mark = np.maximum(mark, np.where(_holds(found[field], matched), weight, 0.0))
            scores += idf * WEIGHTS[field] * mark * (K1 + 1) / (mark + norms[field])
    for ids in exact or ():
        if ids is not None:
            scores += EXACT * _holds(ids, matched)
    return matched, scores
