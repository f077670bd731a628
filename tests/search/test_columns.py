"""The embedded engine's in-memory facet columns follow the index, in every process."""

import uuid

import pytest

from django.db import transaction

from search.contract import SearchQuery
from search.engines import EmbeddedEngine, columns
from search.models import IndexVersion, SearchEntry

from .conftest import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(product_index):
    return [listed(product_index, f"Mật ong bạc hà số {n}", stars=3 + n) for n in range(3)]


def test_columns_are_reused_until_the_index_changes(three):
    loaded = columns.current()
    assert columns.current() is loaded
    EmbeddedEngine().remove([three[0].pk])
    assert columns.current() is not loaded
    assert len(columns.current()) == len(loaded) - 1


def test_a_write_by_another_process_is_seen_on_the_next_search(three):
    columns.current()
    # Another process changes an entry and stamps the index, as EmbeddedEngine does.
    SearchEntry.objects.filter(page=three[0]).update(stars=5)
    IndexVersion.objects.filter(pk=1).update(generation=uuid.uuid4().hex)
    answer = EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong", "stars": "5"}))
    assert answer.total == 2 and three[0].pk in answer.ids


def test_a_rolled_back_write_leaves_no_stale_columns(three):
    before = len(columns.current())
    with transaction.atomic():
        EmbeddedEngine().remove([three[0].pk])
        assert len(columns.current()) == before - 1
        transaction.set_rollback(True)
    # The stamp rolled back with the rows: the process must not keep the rolled-back state.
    assert len(columns.current()) == before


def test_counts_and_pages_agree_with_the_entries(three):
    answer = EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong", "sort": "stars"}))
    assert answer.total == 3
    assert answer.ids == [p.pk for p in reversed(three)]
    assert answer.facet_counts["stars"] == {3: 1, 4: 1, 5: 1}
