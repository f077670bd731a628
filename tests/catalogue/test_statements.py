"""Statements compiled once per process (catalogue.statements) answer what their querysets would."""

import pytest

from django.db import connection
from django.db.models import Count, Value
from django.test.utils import CaptureQueriesContext

from catalogue.models import Certification, ProductPage
from catalogue.statements import Statement
from tests.factories import ProducerFactory, certified_product

pytestmark = pytest.mark.django_db


class Counted:
    """A build function that counts how often it is called (each call compiles)."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, *values, **fixed):
        self.calls += 1
        return self.build(*values, **fixed)


@pytest.fixture
def products(product_index):
    first, second = ProducerFactory(), ProducerFactory()
    return [
        certified_product(product_index, stars=4, producer=first, slug="ca-phe-robusta"),
        certified_product(product_index, stars=5, producer=first, slug="mat-ong-ban-chai"),
        certified_product(product_index, stars=3, producer=second, slug="tra-shan-tuyet"),
    ]


def test_each_call_answers_its_own_values_from_one_compilation(products):
    build = Counted(lambda producer: ProductPage.objects.filter(producer=producer).order_by("pk"))
    statement = Statement(build)
    first, second = products[0].producer_id, products[2].producer_id
    assert [page.pk for page in statement(first)] == [products[0].pk, products[1].pk]
    assert [page.pk for page in statement(second)] == [products[2].pk]
    assert statement(-5) == []
    assert build.calls == 1


def test_a_slug_is_bound_and_related_objects_come_with_the_row(products, product_index):
    statement = Statement(
        lambda slug, parent: (
            ProductPage.objects.child_of(parent).filter(slug=slug).select_related("producer", "province")[:1]
        )
    )
    (found,) = statement("mat-ong-ban-chai", key=(product_index.pk,), parent=product_index)
    with CaptureQueriesContext(connection) as queries:
        assert (found.pk, found.producer.name, found.province.name) == (
            products[1].pk,
            products[1].producer.name,
            products[1].province.name,
        )
    assert len(queries) == 0
    assert statement("no-such-product", key=(product_index.pk,), parent=product_index) == []


def test_a_list_of_ids_is_a_shape_of_its_own_length(products):
    build = Counted(lambda ids: Certification.objects.filter(product__in=ids).order_by("product_id"))
    statement = Statement(build)
    assert [record.product_id for record in statement([products[0].pk])] == [products[0].pk]
    assert [record.product_id for record in statement([products[2].pk, products[1].pk])] == [
        products[1].pk,
        products[2].pk,
    ]
    assert [record.product_id for record in statement([products[1].pk])] == [products[1].pk]
    assert build.calls == 2


def test_values_rows_and_an_aggregate_over_no_rows(products):
    statement = Statement(
        lambda producer: (
            ProductPage.objects.filter(producer=producer).order_by().values(one=Value(1)).annotate(count=Count("pk"))
        )
    )
    assert statement(products[0].producer_id)[0]["count"] == 2
    assert statement(-5)[0]["count"] == 0


def test_a_value_the_sql_transforms_is_not_reused_but_still_answered(products):
    # `icontains` wraps the text in wildcards: the placeholder cannot be found, so the queryset
    # is built and compiled every time, with the same answers.
    build = Counted(lambda text: ProductPage.objects.filter(slug__icontains=text).order_by("pk"))
    statement = Statement(build)
    assert [page.pk for page in statement("mat-ong")] == [products[1].pk]
    assert [page.pk for page in statement("tra")] == [products[2].pk]
    assert build.calls == 3  # once to try compiling, then once per call


def test_the_key_tells_apart_what_is_not_bound(products):
    build = Counted(lambda producer, stars: Certification.objects.filter(product__producer=producer, stars=stars))
    statement = Statement(build)
    producer = products[0].producer_id
    assert [record.product_id for record in statement(producer, key=(5,), stars=5)] == [products[1].pk]
    assert [record.product_id for record in statement(producer, key=(4,), stars=4)] == [products[0].pk]
    assert build.calls == 2


def test_a_statement_whose_key_changed_while_it_compiled_is_not_kept(products):
    # The view restrictions read by a key function may change while the statement compiles
    # (outside a request they are read each time): what was compiled may not match the key.
    build = Counted(lambda producer: ProductPage.objects.filter(producer=producer).order_by("pk"))
    statement = Statement(build)
    reads = iter(["before", "after", "after", "after", "after"])
    producer = products[0].producer_id
    expected = [products[0].pk, products[1].pk]
    assert [page.pk for page in statement(producer, key=lambda: next(reads))] == expected
    assert build.calls == 2  # compiled, then built again to answer: nothing kept
    assert [page.pk for page in statement(producer, key=lambda: next(reads))] == expected
    assert [page.pk for page in statement(producer, key=lambda: next(reads))] == expected
    assert build.calls == 3  # kept under "after" at the second call, reused at the third
