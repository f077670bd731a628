"""The embedded engine's in-memory facet columns follow the index, in every process, by its change log."""

import datetime
import random
import threading
import time

import numpy as np
import pytest

from django.db import connection, connections, transaction
from django.utils import timezone

from wagtail.models import Page

from catalogue.models import Certification, ProductPage, Province
from search.engines import EmbeddedEngine, columns
from search.models import IndexChange, IndexVersion, SearchEntry
from search.query import SORTS, SearchQuery

from .conftest import listed

pytestmark = pytest.mark.django_db
full_reload = columns.load  # the real one, whatever a test counts


@pytest.fixture
def three(product_index):
    return [listed(product_index, f"Mật ong bạc hà số {n}", stars=3 + n) for n in range(3)]


@pytest.fixture
def loads(monkeypatch):
    """How many times the columns were read in full (not patched)."""
    counted = []
    real = columns.load

    def counting(*args, **kwargs):
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(columns, "load", counting)
    return counted


def assert_same_as_a_full_reload(held):
    fresh = full_reload(held.generation, held.seq, held.token)
    for name in columns.ARRAYS:
        if name != "category":
            assert np.array_equal(getattr(held, name), getattr(fresh, name)), name
    assert [held.codes[i] for i in held.category] == [fresh.codes[i] for i in fresh.category]
    provinces = sorted({int(p) for p in fresh.province})[:2]
    for sort in SORTS:
        for params in ({}, {"stars": "4"}, *({"province": Province.objects.get(pk=p).slug} for p in provinces)):
            for page in ("1", "2", "3"):
                query = SearchQuery.from_params({**params, "sort": sort, "page": page}, page_size=3)
                patched, loaded = columns.answer(held, query), columns.answer(fresh, query)
                assert (patched.ids, patched.total, patched.counts) == (loaded.ids, loaded.total, loaded.counts)


def reindex(*pages):
    EmbeddedEngine().update(ProductPage.objects.filter(pk__in=[p.pk for p in pages]))


def test_columns_are_reused_until_the_index_changes(three):
    loaded = columns.current()
    assert columns.current() is loaded
    EmbeddedEngine().remove([three[0].pk])
    assert columns.current() is not loaded
    assert len(columns.current()) == len(loaded) - 1


def test_a_change_is_applied_without_reading_every_entry(three, product_index, loads):
    columns.current()
    assert len(loads) == 1
    added = listed(product_index, "Mật ong rừng Hà Giang", stars=5)
    EmbeddedEngine().remove([three[1].pk])
    held = columns.current()
    assert len(loads) == 1
    assert added.pk in held.ids.tolist() and three[1].pk not in held.ids.tolist()
    assert_same_as_a_full_reload(held)


def test_a_patch_copies_only_the_arrays_it_changes(three, loads):
    before = columns.current()
    ProductPage.objects.filter(pk=three[0].pk).update(sample_available=not three[0].sample_available)
    EmbeddedEngine().update(ProductPage.objects.filter(pk=three[0].pk))
    after = columns.current()
    assert len(loads) == 1
    assert after.names is before.names and after.order is before.order
    assert after.sample is not before.sample
    at = before.ids.tolist().index(three[0].pk)
    assert bool(after.sample[at]) != bool(before.sample[at])  # the old version still says what it said
    with pytest.raises(ValueError, match="read-only"):
        after.names[0] = b"x"
    assert_same_as_a_full_reload(after)


@pytest.mark.parametrize("change", ["insert", "stars", "province", "dates", "published", "name", "delete"])
def test_each_kind_of_change_patches_to_what_a_full_reload_gives(product_index, loads, change):
    # Ties on purpose: equal names, stars and publication times, so only the page id decides.
    moment = timezone.now() - datetime.timedelta(days=3)
    pages = [listed(product_index, "Nước mắm Nam Ô", stars=4) for _ in range(4)]
    pages += [listed(product_index, f"Nước mắm Nam Ô loại {n} " + "đặc biệt " * 4, stars=3) for n in range(4)]
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(first_published_at=moment)
    reindex(*pages)
    columns.current()
    before = len(loads)
    target = pages[2]
    if change == "insert":
        listed(product_index, "Nước mắm Nam Ô", stars=4)
    elif change == "stars":
        Certification.objects.filter(product=target).update(stars=5)
    elif change == "province":
        ProductPage.objects.filter(pk=target.pk).update(
            province=Province.objects.current().exclude(pk=target.province_id).first()
        )
    elif change == "dates":
        Certification.objects.filter(product=target).update(expires_on=timezone.localdate())
    elif change == "published":
        Page.objects.filter(pk=target.pk).update(first_published_at=moment + datetime.timedelta(seconds=1))
    elif change == "name":
        Page.objects.filter(pk=target.pk).update(title="Nước mắm Nam Ô loại 0 " + "đặc biệt " * 4 + "x")
    if change == "delete":
        EmbeddedEngine().remove([target.pk])
    elif change != "insert":
        reindex(target)
    held = columns.current()
    assert len(loads) == before, "patched, not reloaded"
    assert_same_as_a_full_reload(held)


def test_a_write_by_another_connection_is_seen_on_the_next_search(three):
    columns.current()
    # Another process re-indexes a product: its entry and the log, in one transaction.
    with transaction.atomic():
        columns.log_change([three[0].pk])
        SearchEntry.objects.filter(page=three[0]).update(stars=5)
    answer = EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong", "stars": "5"}))
    assert answer.total == 2 and three[0].pk in answer.ids


def test_a_rolled_back_write_leaves_no_stale_columns(three, loads):
    before = len(columns.current())
    with transaction.atomic():
        EmbeddedEngine().remove([three[0].pk])
        assert len(columns.current()) == before - 1
        transaction.set_rollback(True)
    # The log rolled back with the rows: the process must not keep the rolled-back state ...
    assert len(columns.current()) == before
    # ... nor mistake it for another write that takes the same seq.
    with transaction.atomic():
        EmbeddedEngine().remove([three[0].pk])
        assert len(columns.current()) == before - 1
        transaction.set_rollback(True)
    EmbeddedEngine().remove([three[1].pk])
    held = columns.current()
    assert three[0].pk in held.ids.tolist() and three[1].pk not in held.ids.tolist()
    assert_same_as_a_full_reload(held)


def test_a_pruned_log_means_a_full_reload(three, loads):
    columns.current()
    EmbeddedEngine().remove([three[0].pk])
    IndexChange.objects.all().delete()
    held = columns.current()
    assert len(loads) == 2
    assert three[0].pk not in held.ids.tolist()


def test_old_log_rows_are_pruned_during_writes(three, monkeypatch):
    monkeypatch.setattr(columns, "KEEP_CHANGES", 5)
    for _ in range(100):
        EmbeddedEngine().remove([three[0].pk])
    assert IndexChange.objects.count() <= 100 - 5
    assert IndexChange.objects.order_by("-seq").first().seq == IndexVersion.objects.get().seq


def test_a_rebuild_starts_a_new_generation(three, loads):
    columns.current()
    EmbeddedEngine().rebuild()
    held = columns.current()
    assert len(loads) == 2 and len(held) == 3
    # The first write after a rebuild patches again.
    EmbeddedEngine().remove([three[0].pk])
    assert len(columns.current()) == 2 and len(loads) == 2


def test_counts_and_pages_agree_with_the_entries(three):
    answer = EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong", "sort": "stars"}))
    assert answer.total == 3
    assert answer.ids == [p.pk for p in reversed(three)]
    assert answer.facet_counts["stars"] == {3: 1, 4: 1, 5: 1}


def test_entries_read_in_chunks_give_the_arrays_of_one_read(three, product_index, monkeypatch):
    listed(product_index, "Nước mắm cá cơm", stars=4, province="hai-phong")
    whole = full_reload()
    monkeypatch.setattr(columns, "READ_CHUNK", 2)  # four entries: chunks of 2, 2 and an empty read
    chunked = full_reload()
    assert len(chunked) == len(whole) == 4
    for name in columns.ARRAYS:
        if name != "category":
            assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name
    assert [chunked.codes[i] for i in chunked.category] == [whole.codes[i] for i in whole.category]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_sequences_of_changes_match_a_full_reload(product_index, loads, seed):
    """Hypothesis-style: random inserts, updates and deletes, checked after every step (seeded, so repeatable)."""
    rng = random.Random(seed)  # noqa: S311
    names = ["Mật ong bạc hà", "Mật ong rừng", "Chè Shan tuyết", "Chè Shan tuyết " + "thượng hạng " * 3]
    provinces = list(Province.objects.current()[:3])
    moment = timezone.now() - datetime.timedelta(days=5)
    pages = [listed(product_index, rng.choice(names), stars=rng.choice([3, 4, 5])) for _ in range(6)]
    columns.current()
    for _step in range(12):
        action = rng.choice(["insert", "stars", "province", "published", "name", "delete", "restore", "several"])
        target = rng.choice(pages)
        if action == "insert":
            pages.append(listed(product_index, rng.choice(names), stars=rng.choice([3, 4, 5])))
        elif action == "delete":
            EmbeddedEngine().remove([target.pk])
        elif action == "several":
            chosen = rng.sample(pages, 3)
            Certification.objects.filter(product__in=chosen).update(stars=rng.choice([3, 4, 5]))
            reindex(*chosen)
        else:
            if action == "stars":
                Certification.objects.filter(product=target).update(stars=rng.choice([3, 4, 5]))
            elif action == "province":
                ProductPage.objects.filter(pk=target.pk).update(province=rng.choice(provinces))
            elif action == "published":
                offset = datetime.timedelta(seconds=rng.choice([0, 0, 1, 2]))
                Page.objects.filter(pk=target.pk).update(first_published_at=moment + offset)
            elif action == "name":
                Page.objects.filter(pk=target.pk).update(title=rng.choice(names))
            reindex(target)  # "restore" too: a removed product comes back
        assert_same_as_a_full_reload(columns.current())
    assert len(loads) == 1


@pytest.mark.django_db(transaction=True)
# SQLite serialises writers by locking the whole database: nothing to race there.
@pytest.mark.postgresql
def test_concurrent_writers_get_increasing_seqs_in_commit_order(product_index):
    pages = [listed(product_index, f"Mật ong số {n}") for n in range(2)]
    committed, started = [], threading.Event()

    def write(page, hold):
        try:
            with transaction.atomic():
                seq = columns.log_change([page.pk])
                started.set()
                time.sleep(hold)
            committed.append(seq)
        finally:
            connections.close_all()

    first = threading.Thread(target=write, args=(pages[0], 0.5))
    first.start()
    started.wait(5)
    second = threading.Thread(target=write, args=(pages[1], 0))
    second.start()
    first.join(10)
    second.join(10)
    # The second writer waited for the first's lock: it took the next seq and committed after it.
    assert committed == sorted(committed) and committed[1] == committed[0] + 1
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
# The SQLite test database lives in one connection: another connection needs PostgreSQL.
@pytest.mark.postgresql
def test_a_write_committed_on_another_connection_is_patched_in_on_the_next_search(product_index, loads):
    pages = [listed(product_index, f"Mật ong bạc hà số {n}", stars=3) for n in range(3)]
    assert EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong"})).total == 3

    def elsewhere():
        try:
            Certification.objects.filter(product=pages[0]).update(stars=5)
            reindex(pages[0])
            EmbeddedEngine().remove([pages[1].pk])
        finally:
            connections.close_all()

    writer = threading.Thread(target=elsewhere)
    writer.start()
    writer.join(30)
    answer = EmbeddedEngine().search(SearchQuery.from_params({"q": "mat ong", "sort": "stars"}))
    assert answer.ids == [pages[0].pk, pages[2].pk]
    assert len(loads) == 1
    assert_same_as_a_full_reload(columns.current())
