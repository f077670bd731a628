"""A lot as data: the site's own JSON and GS1 EPCIS 2.0 JSON-LD events.

The JSON holds everything the public page shows, with GS1 identifiers as GS1 writes them and
dates in ISO 8601. The EPCIS document carries what a traceability portal ingests: a
commissioning ObjectEvent for the lot (its GS1 Digital Link class when it has a GTIN, its public
address otherwise) with its quantity, lot number and best-before date as instance master data,
and one ObjectEvent per production step, in order, each naming who did it.
"""

import datetime

from django.utils import timezone

from catalogue.languages import without_language
from catalogue.public_url import public_url

from .identifiers import location_uri as site_uri
from .identifiers import lot_uri

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
VIETNAM_OFFSET = "+07:00"


def lot_address(lot):
    """The lot's public address without its language prefix: what the QR label encodes."""
    return public_url(without_language(lot.get_absolute_url()))


def _date(value):
    return value.isoformat() if value else None


def _record(record):
    if record is None:
        return None
    return {
        "decision_number": record.decision_number,
        "issuing_body": record.issuing_body,
        "stars": record.stars,
        "signed_on": _date(record.signed_on),
        "expires_on": _date(record.expires_on),
        "revoked_on": _date(record.revoked_on),
        "status": record.status,
        "url": public_url(without_language(record.get_absolute_url())),
    }


def as_json(lot, standing):
    product, producer = lot.product, lot.product.producer
    return {
        "url": lot_address(lot),
        "as_of": _date(timezone.localdate()),
        "lot": {
            "code": lot.code,
            "gtin": lot.gtin or None,
            "gs1_digital_link": lot_uri(lot.gtin, lot.code) or None,
            "produced_on": _date(lot.produced_on),
            "best_before": _date(lot.best_before),
            "quantity": f"{lot.quantity.normalize():f}",
            "unit": lot.unit,
            "notes": lot.notes,
        },
        "product": {"name": product.title, "name_en": product.name_en or None, "listed": standing.listed},
        "producer": {"name": producer.name, "legal_form": producer.legal_form, "address": producer.address},
        "processing_site": {"name": lot.site_name, "address": lot.site_address, "gln": lot.site_gln or None},
        "materials": [
            {
                "name": m.name,
                "source": m.source,
                "farm_or_supplier": m.source_name,
                "gln": m.source_gln or None,
                "province_code": m.province.code,
                "province": m.province.name,
                "ward": m.ward,
                "ward_code": m.ward_code or None,
                "address": m.address_line,
                "supplier_lot": m.supplier_lot or None,
                "received_on": _date(m.received_on),
            }
            for m in lot.materials.all()
        ],
        "steps": [
            {
                "position": position,
                "name": s.name,
                "performed_by": s.performed_by,
                "started_on": _date(s.started_on),
                "ended_on": _date(s.ended_on),
                "place": s.place,
            }
            for position, s in enumerate(lot.steps.all(), start=1)
        ],
        "documents": [
            {"kind": d.kind, "title": d.title, "url": public_url(d.document.url)} for d in lot.documents.all()
        ],
        "certification": {
            "today": _record(standing.record),
            "when_produced": _record(standing.when_produced),
            "history": [_record(r) for r in standing.history],
        },
    }


def _time(day):
    return f"{day.isoformat()}T00:00:00{VIETNAM_OFFSET}"


def as_epcis(lot):
    epc_class = lot_uri(lot.gtin, lot.code) or lot_address(lot)
    where = {"id": site_uri(lot.site_gln)} if lot.site_gln else None
    ocop = public_url("/ns/ocop-lots#")
    commissioning = {
        "type": "ObjectEvent",
        "eventTime": _time(lot.produced_on),
        "eventTimeZoneOffset": VIETNAM_OFFSET,
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "quantityList": [{"epcClass": epc_class, "quantity": float(lot.quantity), "uom": lot.unit}],
        "ilmd": {"cbvmda:lotNumber": lot.code, "ocop:site": lot.site_name},
    }
    if lot.best_before:
        commissioning["ilmd"]["cbvmda:bestBeforeDate"] = lot.best_before.isoformat()
    sources = [
        {"type": "owning_party", "source": f"https://id.gs1.org/417/{m.source_gln}"}
        for m in lot.materials.all()
        if m.source_gln
    ]
    if sources:
        commissioning["sourceList"] = sources
    events = [commissioning]
    for position, step in enumerate(lot.steps.all(), start=1):
        events.append(
            {
                "type": "ObjectEvent",
                "eventTime": _time(step.ended_on or step.started_on),
                "eventTimeZoneOffset": VIETNAM_OFFSET,
                "action": "OBSERVE",
                "quantityList": [{"epcClass": epc_class, "quantity": float(lot.quantity), "uom": lot.unit}],
                "ocop:step": {"position": position, "name": step.name, "performedBy": step.performed_by},
            }
        )
    for event in events:
        if where:
            event["readPoint"] = where
            event["bizLocation"] = where
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": ocop}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "epcisBody": {"eventList": events},
    }
