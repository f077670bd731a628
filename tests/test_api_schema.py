"""A bounded schemathesis run against /api/v1/openapi.json: no operation answers 5xx.

Schemathesis reads the schema and generates requests (valid ones and, in its negative mode,
invalid ones) for every operation, through the site's WSGI application inside the test's
database transaction. Bounded by `MAX_EXAMPLES` per operation; README "Tests" has the timing.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction

from catalogue.models import QualityCertification
from tests.factories import certified_product

MAX_EXAMPLES = 100

CONFIG = schemathesis.Config.from_dict(
    {"seed": 20261201, "generation": {"max-examples": MAX_EXAMPLES}, "suppress-health-check": ["all"]}
)


@pytest.fixture
def catalogue(db, product_index):
    page = certified_product(product_index, stars=5, title="Nước mắm Nam Ô", slug="nuoc-mam-nam-o")
    QualityCertification.objects.create(page=page, scheme="haccp", issuer="QUACERT", held_by="producer")
    certified_product(product_index, stars=3, title="Chè búp Tân Cương", slug="che-bup-tan-cuong")
    # As Django's test client does: the plain WSGI handler would close the connection after each
    # request, and with it the test's transaction on PostgreSQL.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded at collection (the schema needs no database); schemathesis.pytest.from_fixture, the lazy
# loader, reads a node attribute pytest 9 no longer has.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


# One test per operation with its own id: schemathesis's own parametrize gives every operation the
# same node id, and pytest-xdist then runs only one of them.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
def test_no_generated_request_gets_a_server_error(operation, catalogue):
    # Valid requests and, in the negative mode, invalid ones, as schemathesis's own runner makes them.
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def check(case):
        # A 200 must also match the schema it documents; other statuses (404, 400) just must not be 5xx.
        # Each call in its own savepoint: on PostgreSQL one refused statement would fail every later call.
        with transaction.atomic():
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    check()
