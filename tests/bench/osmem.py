"""Test and benchmark wiring for osmem-server, an in-memory Elasticsearch-compatible server.

osmem answers 406 to the client's `compatible-with=8` media type, so the client sends plain
`application/json` through search.engines.plain_json.PlainJsonNode (the site's own flag for it
is ELASTICSEARCH_PLAIN_JSON). Used by the search tests and the benchmarks' `--osmem`.
"""

from search.engines.plain_json import PlainJsonNode

__all__ = ["PlainJsonNode", "start"]


def start(settings):
    """Start osmem-server and point settings at it; returns the server (close it when done)."""
    from osmem_server import OsmemServer

    server = OsmemServer.start(freeze=False, japanese=False)
    settings.ELASTICSEARCH_URL = server.url
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": PlainJsonNode, "request_timeout": 600}
    return server
