"""A transport node that speaks plain `application/json` to the search server.

elasticsearch-py 8 sends `application/vnd.elasticsearch+json; compatible-with=8`, which
Elasticsearch wants and osmem-server (the OpenSearch-compatible in-memory server the tests,
benchmarks and the local stack run on) answers with 406. ELASTICSEARCH_PLAIN_JSON=1 makes
the client use this node (search.engines.elasticsearch.client); a real cluster needs no flag.
"""

from elastic_transport import HttpHeaders, Urllib3HttpNode


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = HttpHeaders(headers or {})
        for name in ("accept", "content-type"):
            if name in headers:
                headers[name] = headers[name].replace("vnd.elasticsearch+", "").split(";")[0]
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)
