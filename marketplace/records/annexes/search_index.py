"""Wagtail's own (admin) search index, updated once per import instead of once per save.

Wagtail's search (modelsearch) updates its index on every post_save of an indexed model,
each through a task; with the default immediate task backend an annex of 2,000 rows runs
some 8,000 of them inline, and the SQLite index rescans its table on each. Inside
`deferred()`, saves of producers, product pages and records are collected and indexed in
one add_bulk per model at the end; everywhere else the saves behave exactly as before.
"""

import contextlib
import contextvars
import threading

from modelsearch import signal_handlers as modelsearch_signals
from modelsearch.backends import get_search_backends

from django.db.models.signals import post_save

from catalogue.models import Certification, Producer, ProductPage

MODELS = (Producer, ProductPage, Certification)
_pending = contextvars.ContextVar("marketplace_deferred_search_index", default=None)
_lock = threading.Lock()
_installed = []


def _on_save(sender, instance, **kwargs):
    pending = _pending.get()
    if pending is None or kwargs.get("raw", False):
        modelsearch_signals.post_save_signal_handler(instance, **kwargs)
    else:
        pending.setdefault(sender, set()).add(instance.pk)


def _install():
    """Route these models' saves through _on_save (once per process; it delegates outside deferred())."""
    with _lock:
        if _installed:
            return
        for model in MODELS:
            # Connect ours first: for an instant both run (a duplicate update), never neither.
            post_save.connect(_on_save, sender=model, dispatch_uid=f"marketplace-index-{model.__name__}")
            post_save.disconnect(modelsearch_signals.post_save_signal_handler, sender=model)
        _installed.append(True)


@contextlib.contextmanager
def deferred():
    _install()
    pending = {}
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
    flush(pending)


def flush(pending):
    for model, pks in pending.items():
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        if objects:
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objects)
