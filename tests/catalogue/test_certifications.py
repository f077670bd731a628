import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Certification, Province
from catalogue.models.certifications import current_among, expiry_for, mark_supersession
from tests.factories import CertificationFactory

D = datetime.date


@pytest.mark.parametrize(
    ("signed", "expires"),
    [
        (D(2023, 3, 15), D(2026, 3, 15)),
        (D(2024, 2, 29), D(2027, 2, 28)),  # leap day: the last day of February three years on
        (D(2025, 8, 31), D(2028, 8, 31)),
    ],
)
def test_a_certificate_is_valid_for_36_months(signed, expires):
    assert expiry_for(signed) == expires


@pytest.mark.django_db
class TestStatus:
    def test_status_follows_dates_and_revocation(self, product_index):
        record = CertificationFactory(product__parent=product_index, signed_on=D(2024, 1, 10))
        assert record.expires_on == D(2027, 1, 10)
        assert record.status_on(D(2027, 1, 9)) == "valid"
        assert record.status_on(D(2027, 1, 10)) == "expired"
        record.revoked_on = D(2025, 5, 1)
        assert record.status_on(D(2025, 4, 30)) == "valid"
        assert record.status_on(D(2025, 5, 1)) == "revoked"

    def test_queryset_status_matches_instance_status(self, product_index):
        on = D(2026, 6, 1)
        valid = CertificationFactory(product__parent=product_index, signed_on=D(2024, 1, 1))
        expired = CertificationFactory(product__parent=product_index, signed_on=D(2023, 1, 1))
        revoked = CertificationFactory(
            product__parent=product_index, signed_on=D(2025, 1, 1), revoked_on=D(2026, 1, 1), revocation_reason="x"
        )
        for status, record in [("valid", valid), ("expired", expired), ("revoked", revoked)]:
            assert list(Certification.objects.with_status(status, on)) == [record]
            assert record.status_on(on) == status

    def test_search_ignores_diacritics_and_case(self, product_index):
        record = CertificationFactory(
            product__parent=product_index, product__title="Nước mắm Đà Nẵng", decision_number="828/QĐ-UBND"
        )
        for query in ["nuoc mam da nang", "NƯỚC MẮM", "828/qd-ubnd", "828"]:
            assert list(Certification.objects.matching(query)) == [record], query
        assert not Certification.objects.matching("   ").exists()
        assert not Certification.objects.matching("/-").exists()

    def test_a_decision_number_is_found_however_its_punctuation_is_typed(self, client, product_index):
        record = CertificationFactory(product__parent=product_index, decision_number="828/QĐ-UBND")
        CertificationFactory(product__parent=product_index, decision_number="829/QĐ-UBND")
        for query in ["828/QĐ-UBND", "828/qd-ubnd", "828 QĐ UBND", "828/QĐ–UBND"]:
            html = client.get("/vi/verify/", {"q": query}).content.decode()
            assert "Tìm thấy 1 hồ sơ." in html, query
            assert record.get_absolute_url() in html
            api = client.get("/api/v1/certifications/", {"q": query}).json()
            assert [item["id"] for item in api["items"]] == [record.pk], query


@pytest.mark.django_db
class TestValidation:
    def build(self, **kwargs):
        fields = {
            "product_name": "Chè Shan tuyết",
            "producer_name": "HTX Chè",
            "decision_number": "1/QĐ-UBND",
            "issuing_body": "UBND tỉnh Hà Giang",
            "recognition_level": "provincial",
            "stars": 4,
            "signed_on": D(2025, 3, 1),
        }
        return Certification(**{**fields, **kwargs})

    def test_score_must_fit_the_star_class(self):
        with pytest.raises(ValidationError) as error:
            self.build(stars=4, score=65).full_clean()
        assert "score" in error.value.message_dict
        self.build(stars=4, score=75).full_clean()

    def test_potential_five_star_is_a_four_star_scoring_90_or_more(self):
        self.build(stars=4, score=92, potential_five_star=True).full_clean()
        with pytest.raises(ValidationError) as error:
            self.build(stars=3, potential_five_star=True).full_clean()
        assert "potential_five_star" in error.value.message_dict

    def test_revocation_needs_a_reason_and_a_sane_date(self):
        with pytest.raises(ValidationError) as error:
            self.build(revoked_on=D(2024, 1, 1)).full_clean()
        assert {"revocation_reason", "revoked_on"} <= set(error.value.message_dict)

    def test_legacy_province_only_before_the_merger(self):
        legacy = Province.objects.legacy().get(slug="ha-giang")
        self.build(signed_on=D(2025, 6, 30), legacy_province=legacy).full_clean()
        with pytest.raises(ValidationError) as error:
            self.build(signed_on=D(2025, 7, 1), legacy_province=legacy).full_clean()
        assert "legacy_province" in error.value.message_dict

    def test_stars_outside_one_to_five_are_refused(self):
        with pytest.raises(ValidationError):
            self.build(stars=6).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("revoke_latest", [False, True])
def test_a_product_page_picks_and_marks_its_records_as_the_queries_do(product_index, revoke_latest):
    """The product page reads its records once and tells in Python which is current and which
    are superseded (current_among, mark_supersession): the same answers as the SQL of
    current() and with_supersession(), with a decision signed for a later day, two on one day,
    an expired one and a revoked latest one."""
    today = timezone.localdate()
    first = CertificationFactory(product__parent=product_index, signed_on=D(2022, 1, 5))
    product = first.product
    for signed in (today - datetime.timedelta(days=200), today - datetime.timedelta(days=30)):
        CertificationFactory(product=product, signed_on=signed)
    CertificationFactory(product=product, signed_on=today - datetime.timedelta(days=30))  # same day, later pk
    CertificationFactory(product=product, signed_on=today + datetime.timedelta(days=10))  # not yet in force
    if revoke_latest:
        Certification.objects.filter(product=product, signed_on=today - datetime.timedelta(days=30)).update(
            revoked_on=today
        )
    in_sql = list(product.certifications.with_supersession().order_by("-signed_on", "-pk"))
    in_python = mark_supersession(list(product.certifications.order_by("-signed_on", "-pk")))
    assert [(r.pk, r.is_superseded) for r in in_python] == [(r.pk, r.is_superseded) for r in in_sql]
    assert current_among(in_python) == product.certifications.current().first()
    assert [r.status for r in in_python] == [r.status for r in in_sql]
