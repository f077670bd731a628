"""A lot's public page, its printable QR label, the QR image and the two exports.

Anonymous answers are the same for everyone, so a shared cache keeps them (catalogue.caching:
never past midnight, when a record may lapse) and lots.purging names them when the lot or its
product's record changes. A lot's page answers even when its product is no longer listed: it is
a traceability record, and says why the product is gone.
"""

import io
import json

import qrcode
import qrcode.image.svg

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from catalogue.caching import DETAIL, shared_cache

from . import export
from .models import Lot
from .standing import standing


def _lot(pk):
    lots = Lot.objects.select_related("product__producer__province").prefetch_related(
        "materials__province", "steps", "documents__document"
    )
    return get_object_or_404(lots, pk=pk)


def _qr(lot):
    # The unprefixed address: printed on a label, it opens in the language of whoever scans it
    # (config.middleware.LocaleMiddleware redirects), as a record's QR code does.
    return qrcode.make(export.lot_address(lot), image_factory=qrcode.image.svg.SvgPathImage, box_size=10)


@shared_cache(DETAIL)
def lot_detail(request, pk):
    lot = _lot(pk)
    context = {"lot": lot, "standing": standing(lot), "address": export.lot_address(lot)}
    return render(request, "marketplace/lots/lot_detail.html", context)


@shared_cache(DETAIL)
def lot_label(request, pk):
    lot = _lot(pk)
    # Inline, without the XML declaration a file starts with; qrcode's SVG of our own address, no input.
    qr = mark_safe(_qr(lot).to_string(encoding="unicode"))  # noqa: S308
    context = {"lot": lot, "qr": qr, "address": export.lot_address(lot)}
    return render(request, "marketplace/lots/lot_label.html", context)


@cache_control(max_age=86400, public=True)
def lot_qr(request, pk):
    buffer = io.BytesIO()
    _qr(get_object_or_404(Lot, pk=pk)).save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _json(data, content_type):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")


@shared_cache(DETAIL)
def lot_json(request, pk):
    lot = _lot(pk)
    return _json(export.as_json(lot, standing(lot)), "application/json")


@shared_cache(DETAIL)
def lot_epcis(request, pk):
    return _json(export.as_epcis(_lot(pk)), "application/ld+json")
