"""Queries whose SQL each process compiles once per shape and then runs with new values.

A product page runs a dozen small queries (the product by its slug, its records, its pictures,
its producer's other products, its reviews, fairs and lots). Building each queryset and
compiling it to SQL cost the ORM more Python than PostgreSQL spent running it: about a third
of an uncached product page's CPU at 20,000 products. Their shape never changes, only the
ids and slugs in them, so a `Statement` builds its queryset once with placeholder values,
keeps the compiled SQL and the compiler's description of the columns, and runs later calls
with the real values put where the placeholders were. The rows become model instances (with
their select_related objects, annotations and prefetches) through the ORM's own iterables, so
a statement returns what the queryset would have.

What the SQL depends on besides the bound values (the day, the view restrictions, a parent
page) goes in the caller's `key`; a queryset whose placeholders cannot each be found once
among the parameters is simply run as it is built, every time. The SQL is the database's
dialect: every database one process reads (a primary and its replicas) is of one kind.
"""

import copy
import itertools
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections

_KEEP = 64  # shapes kept per statement and process (a key holds a day, a language …)
# Distinct values no row has (ids fit a 32-bit column; a slug never holds control characters),
# so each one's place among the compiled parameters is known.
_FIRST_ID = -1_000_000_000
_TEXT = "\x1fstatement-placeholder-{}\x1f"


class Statement:
    """`Statement(build)` where `build(*values, **fixed)` returns a queryset;
    `statement(*values, key=…, **fixed)` is `list(build(*values, **fixed))`. Values bound: ints,
    strings, and lists or tuples of ints (their length is part of the shape). Anything else the
    SQL depends on (and every `fixed` argument) must be told apart by `key`: a value, or a
    function giving it when what it reads may change while the statement compiles (the view
    restrictions outside a request), in which case a statement is kept only if the key still
    holds after compiling."""

    def __init__(self, build):
        self._build = build
        self._shapes = {}
        self._lock = threading.Lock()

    def __call__(self, *values, key=(), **fixed):
        read = key() if callable(key) else key
        shape = (read, tuple(len(value) if isinstance(value, (list, tuple)) else None for value in values))
        compiled = self._shapes.get(shape)
        if compiled is None:
            compiled = self._compile(values, fixed)
            if callable(key) and key() != read:  # compiled from what no longer matches its key
                return list(self._build(*values, **fixed))
            with self._lock:
                if len(self._shapes) >= _KEEP:
                    self._shapes.clear()
                self._shapes[shape] = compiled
        if compiled is False:
            return list(self._build(*values, **fixed))
        queryset, compiler, sql, params, positions = compiled
        params = list(params)
        for position, value in zip(positions, _flat(values), strict=True):
            params[position] = value
        return list(_bound(queryset, compiler, sql, tuple(params)))

    def _compile(self, values, fixed):
        """(queryset, compiler, sql, parameters, where each value goes), or False when the
        placeholders are not each bound once."""
        placeholders, counter = [], itertools.count()
        for value in values:
            if isinstance(value, (list, tuple)):
                placeholders.append([_FIRST_ID - next(counter) for _ in value])
            elif isinstance(value, bool) or not isinstance(value, (int, str)):
                return False
            elif isinstance(value, int):
                placeholders.append(_FIRST_ID - next(counter))
            else:
                placeholders.append(_TEXT.format(next(counter)))
        queryset = self._build(*placeholders, **fixed)
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # the ORM answers such a queryset without SQL: let it, each time
            return False
        params = list(params)
        flat = list(_flat(placeholders))
        if any(params.count(value) != 1 for value in flat):
            return False
        # What turns each column's value into Python depends only on the columns and the kind of
        # database (a converter that needs the connection is handed the running one): found once.
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        compiler.get_converters = lambda expressions: converters
        compiler.connection = None  # each run takes its own thread's connection
        return queryset, compiler, sql, params, [params.index(value) for value in flat]


def _flat(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from value
        else:
            yield value


def _bound(queryset, compiler, sql, params):
    """A copy of `queryset` that runs `sql` with `params` through a copy of its compiler (which
    already holds the columns, the related objects and the annotations it selects).

    Shallow copies, not the ORM's `_chain()`: Django's clone copies the query's whole tree (its
    joins, conditions, annotations) for a queryset that will only be iterated once, here, and
    whose compiler already holds all of it; the copy only keeps this call's compiler and results
    apart from the other threads'. Nothing chains on it: `Statement` lists it at once."""
    bound = _shallow(queryset)
    bound._result_cache, bound._prefetch_done = None, False
    bound._query = query = _shallow(queryset.query)
    compiler = copy.copy(compiler)
    compiler.connection = connections[bound.db]
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    query.get_compiler = lambda *args, **kwargs: compiler
    return bound


def _shallow(instance):
    # copy.copy would pickle a QuerySet, which runs it (QuerySet.__getstate__ fetches its rows).
    copied = object.__new__(type(instance))
    copied.__dict__ = instance.__dict__.copy()
    return copied
