"""`load_demo` brings an upcoming and a past fair, open meeting slots and two collections, idempotently."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from marketplace.accounts.demo import PRODUCER_EMAIL
from marketplace.collections.models import ProductCollectionPage
from marketplace.fairs.demo import load_demo_fairs
from marketplace.fairs.models import Exhibitor, FairPage, FairZone, MeetingRequest

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (FairPage, FairZone, Exhibitor, MeetingRequest, ProductCollectionPage))


# Over 10 s: the whole demo loads twice, since idempotence is what this test checks.
def test_demo_fairs_and_collections_load_twice_without_duplicates(client, site_tree, capsys):
    call_command("load_demo")
    first = counts()
    assert "Demo fairs: 2 fairs" in capsys.readouterr().out
    call_command("load_demo")
    assert counts() == first

    today = timezone.localdate()
    upcoming, past = FairPage.objects.get(ends_on__gte=today), FairPage.objects.get(ends_on__lt=today)
    kinds = set(upcoming.zones.values_list("kind", flat=True))
    assert {"five_star", "new_products", "regional"} <= kinds
    shown = upcoming.visible_exhibitors()
    assert len(shown) >= 6 and all(e.booth for e in shown)
    assert past.visible_exhibitors()
    assert Exhibitor.objects.filter(status="applied").exists()  # one for the agency to decide

    demo_stand = Exhibitor.objects.get(fair=upcoming, producer__memberships__user__email=PRODUCER_EMAIL)
    assert demo_stand.booth == "A01" and demo_stand.open_slots()
    assert demo_stand.meetings.get().status == "requested"

    tet, mekong = ProductCollectionPage.objects.order_by("pk")
    assert tet.items.exists() and not tet.rules.exists() and len(tet.products()) >= 5
    assert mekong.rules.exists() and not mekong.items.exists() and len(mekong.products()) >= 5
    for page in (upcoming, past, upcoming.get_parent(), tet, mekong, tet.get_parent()):
        assert client.get(page.url).status_code == 200


# Over 10 s: it needs the whole demo loaded before the later run of the fairs.
def test_the_upcoming_fair_stays_upcoming_on_a_later_run(site_tree):
    call_command("load_demo")
    later = timezone.localdate() + datetime.timedelta(days=200)
    load_demo_fairs(today=later)
    upcoming = FairPage.objects.get(slug="hoi-cho-ocop-ha-noi")
    assert upcoming.starts_on > later and upcoming.live
    assert FairPage.objects.get(slug="hoi-cho-ocop-dong-bang-song-cuu-long").ends_on < later
