"""ELASTICSEARCH_PLAIN_JSON: the client sends plain application/json (osmem-server refuses the
compatible-with media type), through the node class the search app owns."""

from search.engines import elasticsearch as es_engine
from search.engines.plain_json import PlainJsonNode


def test_the_flag_picks_the_plain_json_node(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_PLAIN_JSON = True
    nodes = es_engine.client().transport.node_pool.all()
    assert nodes and all(isinstance(node, PlainJsonNode) for node in nodes)
    settings.ELASTICSEARCH_PLAIN_JSON = False
    nodes = es_engine.client().transport.node_pool.all()
    assert not any(isinstance(node, PlainJsonNode) for node in nodes)
