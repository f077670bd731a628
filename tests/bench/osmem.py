"""Test and benchmark wiring for osmem-server, an in-memory Elasticsearch-compatible server.

osmem answers 406 to the client's `compatible-with=8` media type, so this node class
sends plain `application/json`. Used by the search tests and the benchmarks' `--osmem`, never by the site.
"""

from elastic_transport import HttpHeaders, Urllib3HttpNode


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = HttpHeaders(headers or {})
        for name in ("accept", "content-type"):
            if name in headers:
                headers[name] = headers[name].replace("vnd.elasticsearch+", "").split(";")[0]
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def start(settings):
    """Start osmem-server and point settings at it; returns the server (close it when done)."""
    from osmem_server import OsmemServer

    server = OsmemServer.start(freeze=False, japanese=False)
    settings.ELASTICSEARCH_URL = server.url
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": PlainJsonNode, "request_timeout": 600}
    return server
