"""Fairs for tests: an index under the home page, a fair with zones, and accepted exhibitors."""

import datetime
import time
import uuid

from django.utils import timezone

from marketplace.fairs.demo import ensure_fair_index
from marketplace.fairs.forms import MeetingRequestForm
from marketplace.fairs.models import Exhibitor, FairPage, FairZone
from marketplace.pipeline.forms import sign_started
from tests.factories import current_province


def make_fair(index, slug="hoi-cho-thu-nghiem", days_from_today=10, length=2, province="ha-noi", **fields):
    starts_on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    values = {
        "title": "Hội chợ OCOP thử nghiệm",
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(days=length - 1),
        "opens_at": datetime.time(8, 0),
        "closes_at": datetime.time(12, 0),
        "venue": "Cung Văn hóa Hữu nghị",
        "province": current_province(province),
        "organiser": "Trung tâm Xúc tiến Thương mại",
        "meeting_slot_minutes": 30,
    }
    values.update(fields)
    fair = FairPage(slug=slug, **values)
    fair.zones = [
        FairZone(name="Khu 5 sao", kind=FairZone.Kind.FIVE_STAR, sort_order=0),
        FairZone(name="Khu miền Bắc", kind=FairZone.Kind.REGIONAL, sort_order=1),
    ]
    index.add_child(instance=fair)
    fair.save_revision().publish()
    return FairPage.objects.get(pk=fair.pk)


def exhibit(fair, product, booth="A01", zone=0, status=Exhibitor.Status.ACCEPTED, products=None):
    exhibitor = Exhibitor.objects.create(
        fair=fair,
        producer=product.producer,
        status=status,
        booth=booth,
        zone=list(fair.zones.order_by("sort_order"))[zone] if zone is not None else None,
    )
    exhibitor.products.set(products or [product])
    return exhibitor


def fair_index(home):
    return ensure_fair_index(home)


def meeting_form(exhibitor, slot=None, **overrides):
    start = slot or exhibitor.open_slots()[0][0]
    data = {
        "slot": start if isinstance(start, str) else start.isoformat(),
        "name": "Sophie Laurent",
        "company": "Maison Laurent",
        "email": "Sophie@Laurent.example.fr",
        "phone": "+33 1 42 00 00 00",
        "country": "FR",
        "message": "We would like to <b>discuss</b> a first order.",
        "consent": "on",
        "website": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    # Signed last: the stamp is valid only with the form's kind and the token actually posted.
    data.setdefault("started", sign_started(MeetingRequestForm.form_kind, data.get("form_token"), time.time() - 30))
    return {k: v for k, v in data.items() if v is not None}
