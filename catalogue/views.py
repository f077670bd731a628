"""Public views outside the page tree: producers, certification records and the checker."""

import io

import qrcode
import qrcode.image.svg

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import cache_control

from . import structured_data
from .caching import DETAIL, shared_cache
from .languages import without_language
from .models import CARD_FIELDS, Certification, Producer, ProductPage, prefetch_cards
from .public_url import public_url
from .restrictions import public_key
from .statements import Statement
from .visible_pages import visible_pages

MAX_QUERY_LENGTH = 200


# A producer page's two queries, compiled once per process (catalogue.statements); its products
# kept, as a product's other products are, under the day and the private sections.
_PRODUCER = Statement(
    lambda slug: Producer.objects.select_related("province", "logo", "responsiveness").filter(slug=slug)
)
_PRODUCTS = Statement(
    lambda producer, on: (
        ProductPage.objects.visible(on)
        .filter(producer=producer)
        .select_related("province")
        .only(*CARD_FIELDS)
        .order_by("title")
    )
)


@shared_cache(DETAIL)
def producer_detail(request, slug):
    found = _PRODUCER(slug)
    if not found:
        raise Http404  # as get_object_or_404 would: the 404 page says what a visitor needs
    producer = found[0]
    today = timezone.localdate()
    # The cards' producer, province, pictures and records in a few queries, however many products.
    products = _PRODUCTS(producer.pk, key=public_key(today), on=today)
    for product in products:
        product.producer = producer  # loaded above with its responsiveness, which the cards and the page share
    products = prefetch_cards(products)
    # A producer with nothing certified on show has no public page: traders posing as
    # producers cannot borrow the catalogue's credibility.
    if not products:
        raise Http404(gettext("This producer has no certified products listed."))
    blocks, image = structured_data.producer_page(producer, request)
    summary = gettext("%(producer)s: certified OCOP products, %(address)s.") % {
        "producer": producer.name,
        "address": producer.address,
    }
    context = {
        "producer": producer,
        "products": products,
        "structured_data": blocks,
        "meta_image": image,
        "meta_title": producer.name,
        "meta_description": structured_data.plain(producer.localized_description) or summary,
    }
    return render(request, "catalogue/producer_detail.html", context)


# A record page's queries, compiled once per process and day (catalogue.statements): the record
# with whether a later decision replaced it, and the product's other records with the same.
_RECORD = Statement(
    lambda pk, on: (
        Certification.objects.with_supersession(on)
        .select_related("producer", "legacy_province__successor", "document")
        .filter(pk=pk)
    )
)
_OTHER_RECORDS = Statement(
    lambda product, record, on: Certification.objects.with_supersession(on).filter(product=product).exclude(pk=record)
)


@shared_cache(DETAIL)
def certification_detail(request, pk):
    today = timezone.localdate()
    found = _RECORD(pk, key=today, on=today)
    if not found:
        raise Http404  # as get_object_or_404 would
    record = found[0]
    # The product's page only while the rule shows it: `visible_pages` is THE rule over ids.
    listed = visible_pages([record.product_id], on=today) if record.product_id else []
    others = _OTHER_RECORDS(record.product_id, record.pk, key=today, on=today) if record.product_id else []
    return render(
        request,
        "catalogue/certification_detail.html",
        {"record": record, "product": listed[0] if listed else None, "other_records": others},
    )


@cache_control(max_age=86400, public=True)
def certification_qr(request, pk):
    record = get_object_or_404(Certification, pk=pk)
    # The address without its /vi/ or /en/ prefix: printed on a label, it opens the record in
    # the language of whoever scans it (config.middleware.LocaleMiddleware redirects).
    image = qrcode.make(
        public_url(without_language(record.get_absolute_url())),
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def verify(request):
    """Check a claimed certificate by decision number, product or producer name."""
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()
    error = ""
    page = None
    if len(query) > MAX_QUERY_LENGTH:
        error = ngettext(
            "Please type at most %(n)s character.", "Please type at most %(n)s characters.", MAX_QUERY_LENGTH
        ) % {"n": MAX_QUERY_LENGTH}
    elif query:
        records = Certification.objects.matching(query).with_supersession().select_related("legacy_province")
        records = records.order_by("-signed_on")
        page = Paginator(records, 25).get_page(request.GET.get("page"))
    status = 400 if error else 200
    return render(request, "catalogue/verify.html", {"query": query, "page": page, "error": error}, status=status)
