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
"""

import math

import numpy as np

FIELDS = ("name", "description", "other")
WEIGHTS = {"name": 3.0, "description": 1.5, "other": 0.5}
ALTERNATIVE = 0.8  # a dictionary term counts a little less than the words the buyer typed
K1 = 1.2
B = 0.75


def score(columns, concepts):
    """(matching page ids ascending, their scores) for concepts found in the database.

    `concepts` holds, per concept, a list of (weight, {field: page ids}) per alternative.
    """
    held, marks = [], []
    for alternatives in concepts:
        ids = np.unique(np.concatenate([found[f] for _w, found in alternatives for f in FIELDS] or [np.empty(0)]))
        ids = ids.astype(np.int64)
        field_marks = {}
        for field in FIELDS:
            mark = np.zeros(len(ids), dtype=np.float64)
            for weight, found in alternatives:
                present = np.isin(ids, found[field])
                mark = np.maximum(mark, np.where(present, weight, 0.0))
            field_marks[field] = mark
        held.append(ids)
        marks.append(field_marks)
    if not held:
        return np.empty(0, dtype=np.int64), np.empty(0)
    matched = held[0]
    for ids in held[1:]:
        matched = np.intersect1d(matched, ids, assume_unique=True)

    total = len(columns)
    at = np.clip(np.searchsorted(columns.ids, matched), 0, max(total - 1, 0))
    lengths = {
        "name": columns.name_len,
        "description": columns.description_len,
        "other": columns.other_len,
    }
    norms = {}
    for field, column in lengths.items():
        average = max(float(column.mean()) if total else 1.0, 1.0)
        length = column[at].astype(np.float64) if total else np.zeros(len(matched))
        norms[field] = K1 * (1 - B + B * length / average)

    scores = np.zeros(len(matched), dtype=np.float64)
    for ids, field_marks in zip(held, marks, strict=True):
        frequency = len(ids)
        idf = math.log(1 + (max(total, frequency) - frequency + 0.5) / (frequency + 0.5))
        where = np.searchsorted(ids, matched)
        for field in FIELDS:
            mark = field_marks[field][where]
            scores += idf * WEIGHTS[field] * mark * (K1 + 1) / (mark + norms[field])
    return matched, scores
