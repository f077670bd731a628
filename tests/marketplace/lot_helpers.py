"""Lots for tests: one built directly, and the admin form's data as a producer would post it."""

import datetime

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from catalogue.models import Province
from marketplace.lots.models import Lot, LotMaterial, LotStep


def make_lot(product, code="NM2026-031", **fields):
    produced_on = fields.pop("produced_on", timezone.localdate() - datetime.timedelta(days=10))
    lot = Lot.objects.create(
        product=product,
        code=code,
        gtin=fields.pop("gtin", "8938505974194"),
        produced_on=produced_on,
        best_before=produced_on + datetime.timedelta(days=540),
        quantity=fields.pop("quantity", 1200),
        unit=Lot.Unit.LITRE,
        site_name="Nhà thùng Cửa Khe",
        site_address="Thôn Cửa Khe, Xã Bình Hải, Quảng Ngãi",
        site_gln=fields.pop("site_gln", "8938505970004"),
        **fields,
    )
    LotMaterial.objects.create(
        lot=lot,
        name="Cá cơm than",
        source=LotMaterial.Source.FARM,
        source_name="Tàu cá QNg-90123",
        province=Province.objects.current().get(slug="quang-ngai"),
        ward="Xã Bình Sơn",
        received_on=produced_on - datetime.timedelta(days=400),
    )
    LotStep.objects.create(
        lot=lot,
        sort_order=0,
        name="Ủ chượp",
        performed_by="Tổ ủ chượp",
        started_on=produced_on - datetime.timedelta(days=390),
    )
    LotStep.objects.create(lot=lot, sort_order=1, name="Đóng chai", performed_by="Tổ đóng chai", started_on=produced_on)
    return lot


def lot_form(product, documents=(), **overrides):
    """The admin form's fields for a new lot of `product`, with one raw material and two steps."""
    today = timezone.localdate()
    fields = {
        "product": product.pk,
        "code": "NM2026-040",
        "gtin": "893 8505 974194",
        "produced_on": (today - datetime.timedelta(days=3)).isoformat(),
        "best_before": (today + datetime.timedelta(days=500)).isoformat(),
        "quantity": "800",
        "unit": "LTR",
        "site_name": "Nhà thùng Cửa Khe",
        "site_address": "Thôn Cửa Khe, Xã Bình Hải, Quảng Ngãi",
        "site_gln": "",
        "notes": "",
        "materials": inline_formset(
            [
                {
                    "name": "Cá cơm than",
                    "source": "supplier",
                    "source_name": "Vựa cá Hải Châu",
                    "source_gln": "",
                    "province": Province.objects.current().get(slug="da-nang").pk,
                    "ward": "hai chau",
                    "address_line": "",
                    "supplier_lot": "HC-11",
                    "received_on": (today - datetime.timedelta(days=200)).isoformat(),
                }
            ]
        ),
        "steps": inline_formset(
            [
                {
                    "name": "Ủ chượp",
                    "performed_by": "Tổ ủ chượp",
                    "started_on": (today - datetime.timedelta(days=190)).isoformat(),
                    "ended_on": (today - datetime.timedelta(days=10)).isoformat(),
                    "place": "",
                },
                {
                    "name": "Đóng chai",
                    "performed_by": "Tổ đóng chai",
                    "started_on": (today - datetime.timedelta(days=3)).isoformat(),
                    "ended_on": "",
                    "place": "",
                },
            ]
        ),
        "documents": inline_formset(list(documents)),
    }
    data = nested_form_data(fields)
    data.update(overrides)  # flat names: "gtin", "steps-1-ended_on" …
    return data
