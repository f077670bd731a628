"""Engine fixtures: every behaviour test runs on the embedded engine (SQLite or PostgreSQL,
whichever the run uses) and on Elasticsearch (osmem-server, or ELASTICSEARCH_URL)."""

import datetime
import os
import uuid

import pytest

from django.utils import timezone

from catalogue.models import QualityCertification
from search.contract import SearchQuery, search
from tests.bench.osmem import PlainJsonNode  # test wiring: osmem answers 406 to compatible-with
from tests.factories import CertificationFactory, ProducerFactory, ProductPageFactory, current_province

ENGINES = ["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture
def elasticsearch_url(request):
    if os.environ.get("ELASTICSEARCH_URL"):
        return os.environ["ELASTICSEARCH_URL"]
    return request.getfixturevalue("osmem_clone").url


def use_elasticsearch(settings, url):
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = f"test-ocop-{uuid.uuid4().hex[:10]}"
    if not os.environ.get("ELASTICSEARCH_URL"):
        settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": PlainJsonNode}


@pytest.fixture(params=ENGINES)
def engine(request, settings, product_index):
    """The engine name; settings point the site at it before any product is created."""
    settings.SEARCH_ENGINE = "embedded"
    if request.param == "elasticsearch":
        use_elasticsearch(settings, request.getfixturevalue("elasticsearch_url"))
        from search.engines import elasticsearch_engine

        engine = elasticsearch_engine()
        engine.ensure_index()
        yield request.param
        for index in engine._current_indices():
            engine.es.indices.delete(index=index, ignore_unavailable=True)
        return
    yield request.param


@pytest.fixture
def find(engine):
    """Search as a buyer would, with GET-style parameters; the configured engine must answer."""

    def run(on=None, **params):
        result = search(SearchQuery.from_params(params, on=on))
        assert result.engine == engine, f"{engine} did not answer (fell back to {result.engine})"
        return result

    return run


def titles(result):
    return {hit.title for hit in result.hits}


def listed(parent, title, stars=4, province="ha-noi", certs=(), signed_on=None, producer=None, **fields):
    """A published product with quality certifications and one OCOP record (which indexes it)."""
    producer = producer or ProducerFactory(province=current_province(province))
    fields.setdefault("name_en", "")
    fields.setdefault("description", "")
    page = ProductPageFactory(parent=parent, title=title, producer=producer, province=producer.province, **fields)
    for scheme in certs:
        QualityCertification.objects.create(page=page, scheme=scheme)
    CertificationFactory(
        product=page, stars=stars, signed_on=signed_on or timezone.localdate() - datetime.timedelta(days=100)
    )
    return page
