"""Every change to a certification record is in Wagtail's history: who, when, what."""

import pytest

from django.urls import reverse

from wagtail.models import ModelLogEntry

from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def edit_data(record, **changes):
    data = {
        "product": record.product_id or "",
        "product_name": record.product_name,
        "producer": record.producer_id or "",
        "producer_name": record.producer_name,
        "decision_number": record.decision_number,
        "signed_on": record.signed_on.isoformat(),
        "issuing_body": record.issuing_body,
        "recognition_level": record.recognition_level,
        "recognition_type": record.recognition_type,
        "stars": record.stars,
        "score": "",
        "serial_number": "",
        "document": "",
        "legacy_province": "",
        "issued_address": record.issued_address,
        "category_as_issued": "",
        "revoked_on": "",
        "revocation_reason": "",
    }
    data.update(changes)
    return data


def test_agency_edit_is_logged_with_user_time_and_diff(client, agency, page_a):
    record = page_a.certifications.get()
    record.save_revision(log_action="wagtail.create")  # as the import or the create view does
    client.force_login(agency)
    url = reverse("wagtailsnippets_catalogue_certification:edit", args=[record.pk])
    response = client.post(url, edit_data(record, stars=3, issuing_body="UBND tỉnh Quảng Trị"))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    record.refresh_from_db()
    assert record.stars == 3

    entry = ModelLogEntry.objects.for_instance(record).get(action="wagtail.edit")
    assert entry.revision == record.revisions.latest("created_at")
    assert entry.user == agency and entry.timestamp is not None
    revision = record.revisions.latest("created_at")
    assert revision.user == agency and revision.content["stars"] == 3

    history = client.get(reverse("wagtailsnippets_catalogue_certification:history", args=[record.pk]))
    html = history.content.decode()
    assert agency.get_full_name() in html or agency.email in html
    assert "revisions/compare" in html  # the "what": Wagtail's diff between revisions


def test_revoking_a_record_is_in_the_history(client, agency, page_a):
    record = page_a.certifications.get()
    client.force_login(agency)
    url = reverse("wagtailsnippets_catalogue_certification:edit", args=[record.pk])
    client.post(url, edit_data(record, revoked_on=record.signed_on.isoformat(), revocation_reason="Vi phạm chất lượng"))
    first = record.revisions.order_by("created_at").last()
    assert first.content["revocation_reason"] == "Vi phạm chất lượng"
    compare = reverse(
        "wagtailsnippets_catalogue_certification:revisions_compare", args=[record.pk, "earliest", "latest"]
    )
    assert client.get(compare).status_code == 200


def test_producers_cannot_read_record_history(client, user_a, product_index, producer_a):
    page = certified_product(product_index, producer=producer_a)
    record = page.certifications.get()
    client.force_login(user_a)
    response = client.get(reverse("wagtailsnippets_catalogue_certification:history", args=[record.pk]))
    assert response.status_code in (302, 403)
