"""Choosing an engine. Every engine answers the same contract (search.query).

settings.SEARCH_ENGINE = "embedded" (default) or "elasticsearch". The embedded index is
always kept, so when Elasticsearch is unreachable the site answers from the database and
logs a warning instead of failing.
"""

import logging

from django.conf import settings

from .embedded import EmbeddedEngine

logger = logging.getLogger("search")


class FallbackEngine:
    """Elasticsearch first; the embedded engine whenever the cluster cannot answer."""

    def __init__(self, primary, fallback):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def _call(self, method, *args, **kwargs):
        from elasticsearch import ApiError, TransportError

        try:
            return getattr(self.primary, method)(*args, **kwargs)
        except (TransportError, ApiError, OSError) as error:
            logger.warning("Elasticsearch unavailable (%s); answering from the embedded engine.", error)
            return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, query):
        return self._call("search", query)

    def suggest(self, q, limit=10, on=None):
        return self._call("suggest", q, limit=limit, on=on)


def elasticsearch_engine():
    # Loads the Elasticsearch client libraries (about half a second) only on sites that use them.
    from .elasticsearch import ElasticsearchEngine

    return ElasticsearchEngine()


def get_engine():
    """The engine that answers public searches."""
    if settings.SEARCH_ENGINE == "elasticsearch" and settings.ELASTICSEARCH_URL:
        return FallbackEngine(elasticsearch_engine(), EmbeddedEngine())
    return EmbeddedEngine()


def indexing_engines():
    """Every engine whose index must follow the catalogue."""
    engines = [EmbeddedEngine()]
    if settings.SEARCH_ENGINE == "elasticsearch" and settings.ELASTICSEARCH_URL:
        engines.append(elasticsearch_engine())
    return engines
