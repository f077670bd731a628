"""Producers apply to exhibit from the admin; the agency accepts or declines and assigns booths, once each."""

import threading

import pytest

from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from marketplace.fairs import services
from marketplace.fairs.forms import DecideForm
from marketplace.fairs.models import Exhibitor
from tests.factories import ProducerFactory, certified_product
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(site_tree):
    return make_fair(fair_index(site_tree[0]))


def test_producer_applies_with_its_own_listed_products_only(client, fair, user_a, page_a, page_b, draft_b):
    client.force_login(user_a)
    url = reverse("marketplace_fair_apply", args=[fair.pk])
    html = client.get(url).content.decode()
    assert page_a.title in html
    assert page_b.title not in html and page_b.producer.name not in html and draft_b.title not in html

    # Another producer's product or producer is refused, nothing is stored.
    response = client.post(url, {"producer": page_b.producer.pk, "products": [page_b.pk]})
    assert response.status_code == 200 and not Exhibitor.objects.exists()

    response = client.post(
        url, {"producer": page_a.producer.pk, "products": [page_a.pk], "message": "Gian đôi nếu được"}
    )
    exhibitor = Exhibitor.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketplace_fair_exhibitor", args=[exhibitor.pk]
    )
    assert exhibitor.status == Exhibitor.Status.APPLIED and list(exhibitor.products.all()) == [page_a]
    assert exhibitor.applied_by == user_a
    # Applied already: the form has no producer left to apply for.
    assert "already applied" in client.get(url, headers={"accept-language": "en"}).content.decode()


def test_agency_accepts_with_zone_and_booth_and_the_producer_sees_it(client, fair, agency, user_a, page_a):
    exhibitor = exhibit(fair, page_a, booth="", zone=None, status=Exhibitor.Status.APPLIED)
    zone = fair.zones.get(name="Khu 5 sao")
    client.force_login(agency)
    url = reverse("marketplace_fair_exhibitor", args=[exhibitor.pk])
    response = client.post(url, {"status": "accepted", "zone": zone.pk, "booth": " a12 ", "note": "Gian góc"})
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert (exhibitor.status, exhibitor.zone, exhibitor.booth, exhibitor.decided_by) == (
        "accepted",
        zone,
        "A12",
        agency,
    )

    client.force_login(user_a)
    html = client.get(url).content.decode()
    assert "A12" in html and "Gian góc" in html
    # The producer reads the decision but cannot change it.
    assert client.post(url, {"status": "declined"}).status_code in (302, 403)
    exhibitor.refresh_from_db()
    assert exhibitor.status == "accepted"
    assert client.get(fair.url).content.decode().count("A12") == 1


def test_a_booth_cannot_be_assigned_twice_in_one_fair(client, fair, agency, page_a, page_b):
    exhibit(fair, page_a, booth="A01")
    second = exhibit(fair, page_b, booth="", status=Exhibitor.Status.APPLIED)
    client.force_login(agency)
    response = client.post(
        reverse("marketplace_fair_exhibitor", args=[second.pk]), {"status": "accepted", "booth": "a01"}
    )
    assert response.status_code == 200
    assert "Booth A01 is already assigned in this fair." in response.content.decode()
    second.refresh_from_db()
    assert second.booth == "" and second.status == Exhibitor.Status.APPLIED


def test_the_database_refuses_a_second_booth_even_without_the_form(fair, page_a, page_b, product_index):
    exhibit(fair, page_a, booth="A01")
    with pytest.raises(IntegrityError), transaction.atomic():
        exhibit(fair, page_b, booth="A01")
    # No booth yet is not a clash; the same booth in another fair is not one either.
    exhibit(fair, page_b, booth="")
    third = certified_product(product_index, producer=ProducerFactory(slug="htx-thu-ba"), title="Chè thứ ba")
    exhibit(fair, third, booth="")
    other_fair = make_fair(fair.get_parent(), slug="hoi-cho-khac")
    exhibit(other_fair, page_a, booth="A01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Exhibitor.objects.create(fair=fair, producer=page_a.producer)  # one application per producer and fair


def test_declining_frees_the_booth(client, fair, agency, page_a, page_b):
    first = exhibit(fair, page_a, booth="A01")
    client.force_login(agency)
    client.post(
        reverse("marketplace_fair_exhibitor", args=[first.pk]),
        {"status": "declined", "booth": "A01", "note": "Hết chỗ"},
    )
    first.refresh_from_db()
    assert first.booth == "" and first.status == "declined" and first.note == "Hết chỗ"
    exhibit(fair, page_b, booth="A01")


def test_a_producer_sees_only_its_own_applications(client, fair, user_a, page_a, page_b):
    mine = exhibit(fair, page_a, booth="A01")
    theirs = exhibit(fair, page_b, booth="B01")
    client.force_login(user_a)
    html = client.get(reverse("marketplace_fair_exhibitors")).content.decode()
    assert page_a.producer.name in html and page_b.producer.name not in html
    assert client.get(reverse("marketplace_fair_exhibitor", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("marketplace_fair_exhibitor", args=[mine.pk])).status_code == 200


def test_someone_acting_for_no_producer_is_refused(client, fair, roles):
    from tests.factories import UserFactory

    nobody = UserFactory(email="nobody@example.vn")
    nobody.groups.add(roles[1])
    client.force_login(nobody)
    assert client.get(reverse("marketplace_fair_exhibitors")).status_code in (302, 403)
    assert client.get(reverse("marketplace_fair_apply", args=[fair.pk])).status_code in (302, 403)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_agency_officers_assigning_one_booth_at_once_leave_one_holder(site_tree, product_index):
    fair = make_fair(fair_index(site_tree[0]))
    producers = [ProducerFactory(slug=f"htx-dong-thoi-{n}") for n in range(2)]
    exhibitors = [
        exhibit(fair, certified_product(product_index, producer=p, title=f"Sản phẩm {n}"), booth="", status="applied")
        for n, p in enumerate(producers)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def assign(exhibitor):
        from django.db import connections

        # Each thread has its own database connection, as two officers' requests would.
        form = DecideForm({"status": "accepted", "booth": "A01"}, instance=Exhibitor.objects.get(pk=exhibitor.pk))
        assert form.is_valid()
        try:
            barrier.wait()
            services.decide_exhibitor(form, None)
            outcomes.append("ok")
        except services.BoothTaken:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(e,)) for e in exhibitors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Exhibitor.objects.filter(fair=fair, booth="A01").count() == 1
    assert connection.vendor == "postgresql"


def test_the_agency_applies_for_a_producer_in_two_steps(client, fair, agency, page_a, page_b):
    client.force_login(agency)
    url = reverse("marketplace_fair_apply", args=[fair.pk])
    html = client.get(url).content.decode()
    # First the producer (the agency acts for all of them), then only that producer's products.
    assert page_b.producer.name in html and 'name="products"' not in html
    html = client.get(url, {"producer": page_a.producer.pk}).content.decode()
    assert f'name="products" value="{page_a.pk}"' in html and page_b.title not in html
    client.post(url, {"producer": page_a.producer.pk, "products": [page_a.pk]})
    assert Exhibitor.objects.get().producer == page_a.producer
