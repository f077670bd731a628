"""The catalogue's part of the JSON read API (config/api.py mounts it under /api/v1/).

Product detail, public records, provinces and categories; the product list is search's
(search/api.py), since it answers through the search contract. The schemas here are the
shapes both parts return.
"""

import datetime
import math
from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from . import ratings as buyer_ratings
from .models import Category, Certification, ProductPage, Province, Responsiveness
from .params import MAX_ID, plain_text
from .public_url import public_url

router = Router()

# One pagination scheme for every list in the API (products and certification records).
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100
API_MAX_PAGE = 10_000


class PageParams(Schema):
    """`page` and `page_size` of a list; out of range they answer 400 saying the allowed range."""

    page: int = Field(1, ge=1, le=API_MAX_PAGE, description="Page number; a page past the last answers no items")
    page_size: int = Field(
        API_PAGE_SIZE, ge=1, le=API_MAX_PAGE_SIZE, description=f"Items per page, at most {API_MAX_PAGE_SIZE}"
    )


class PageOut(Schema):
    count: int = Field(description="Items in the whole list")
    page: int
    page_size: int = Field(description="Items per page, as applied")
    num_pages: int
    next: str | None = Field(description="The next page's address, or null on the last page")
    previous: str | None = Field(description="The previous page's address (the last page from past the end), or null")


def page_of(request, params, count):
    """count, page, page_size, num_pages and the next/previous links of one page of a list."""
    num_pages = max(1, math.ceil(count / params.page_size))

    def link(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return public_url(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "num_pages": num_pages,
        "next": link(params.page + 1) if params.page < num_pages else None,
        "previous": link(min(params.page - 1, num_pages)) if params.page > 1 else None,
    }


class ProvinceOut(Schema):
    code: int
    era: str
    slug: str
    name: str
    name_ascii: str
    successor: str | None = None

    @staticmethod
    def resolve_successor(obj):
        return obj.successor.slug if obj.successor_id else None


class CategoryOut(Schema):
    code: str
    slug: str
    name: str
    name_en: str
    parent: str | None = None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None


class ResponsivenessOut(Schema):
    """How the producer answered buyers' inquiries in the last 180 days, measured by the marketplace."""

    measured: bool = Field(description="At least three inquiries counted; below that the producer is new")
    inquiries: int = Field(description="Inquiries counted (unanswered ones once two working days have passed)")
    answered: int = Field(description="Of those, answered by the producer")
    median_reply_hours: float | None = Field(
        description="Median time to the first reply, in working hours (Asia/Ho_Chi_Minh, Monday to Friday, "
        "8:00-12:00 and 13:00-17:00, Vietnamese public holidays off); null until measured"
    )
    replies_within_days: int | None = Field(description="1, 2 or 5: the reply-time class of the median, or null")
    summary: str = Field(description="The sentence the pages show, in the request's language")

    @staticmethod
    def resolve_median_reply_hours(obj):
        minutes = obj.reply_minutes
        return None if minutes is None else round(minutes / 60, 1)

    @staticmethod
    def resolve_replies_within_days(obj):
        return obj.within_days


class ProducerRef(Schema):
    name: str
    slug: str
    legal_form: str
    url: str
    responsiveness: ResponsivenessOut

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_responsiveness(obj):
        try:
            return obj.responsiveness
        except Responsiveness.DoesNotExist:
            # Never measured: no inquiry yet, shown as new.
            return Responsiveness(producer=obj, inquiries=0, answered=0)


class CertificationSummary(Schema):
    id: int
    decision_number: str
    issuing_body: str
    recognition_level: str
    recognition_type: str
    stars: int
    potential_five_star: bool
    signed_on: datetime.date
    expires_on: datetime.date
    status: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class CertificationOut(CertificationSummary):
    score: Decimal | None = None
    product_name: str
    producer_name: str
    revoked_on: datetime.date | None = None
    revocation_reason: str
    legacy_province: str | None = None
    product: str | None = None

    @staticmethod
    def resolve_legacy_province(obj):
        return obj.legacy_province.slug if obj.legacy_province_id else None

    @staticmethod
    def resolve_product(obj):
        """The product page's slug, only while the product is publicly listed."""
        return obj.product.slug if obj.product_id and getattr(obj, "product_listed", False) else None


class ProductOut(Schema):
    slug: str
    name: str
    name_en: str
    name_en_from_glossary: bool
    url: str
    producer: ProducerRef
    province: ProvinceOut
    category: CategoryOut
    stars: int
    certification: CertificationSummary | None
    sample_available: bool
    price_min_vnd: int | None = None
    price_max_vnd: int | None = None
    price_unit: str

    @staticmethod
    def resolve_name(obj):
        return obj.title

    @staticmethod
    def resolve_name_en(obj):
        # The producer's English name, else the one composed from the OCOP glossary
        # (name_en_from_glossary says which), else "".
        return obj.english_name

    @staticmethod
    def resolve_name_en_from_glossary(obj):
        return bool(not obj.name_en and obj.glossary_name)

    @staticmethod
    def resolve_url(obj):
        return obj.url

    @staticmethod
    def resolve_stars(obj):
        return obj.current_stars

    @staticmethod
    def resolve_certification(obj):
        return obj.current_certification


class QualityCertificationOut(Schema):
    scheme: str
    issuer: str
    expires_on: datetime.date | None = None
    held_by: str


class RatingsOut(Schema):
    """Buyers' ratings from verified sample orders (delivered), computed from the reviews the public sees."""

    count: int = Field(description="Visible reviews")
    overall: float = Field(description="Mean of the three averages, 1 to 5, one decimal")
    quality: float = Field(description="Average quality score, 1 to 5, one decimal")
    packaging: float = Field(description="Average packaging score, 1 to 5, one decimal")
    communication: float = Field(description="Average communication score, 1 to 5, one decimal")
    published_to_search_engines: bool = Field(
        description=f"At least {buyer_ratings.MIN_REVIEWS} reviews: the page's JSON-LD carries aggregateRating"
    )

    @staticmethod
    def resolve_published_to_search_engines(obj):
        return obj.enough

    @staticmethod
    def resolve_overall(obj):
        return round(obj.overall, 1)

    @staticmethod
    def resolve_quality(obj):
        return round(obj.quality, 1)

    @staticmethod
    def resolve_packaging(obj):
        return round(obj.packaging, 1)

    @staticmethod
    def resolve_communication(obj):
        return round(obj.communication, 1)


class ProductDetailOut(ProductOut):
    description: str
    description_en: str
    packaging: str
    net_quantity: str
    shelf_life: str
    storage: str
    moq_quantity: Decimal | None = None
    moq_unit: str
    capacity: str
    lead_time_days: int | None = None
    sample_price_vnd: int | None = None
    hs_code: str
    export_markets: list[str]
    quality_certifications: list[QualityCertificationOut]
    certification_history: list[CertificationSummary]
    ratings: RatingsOut | None = Field(description="Null until a buyer of a delivered sample order reviewed it")

    @staticmethod
    def resolve_ratings(obj):
        return buyer_ratings.for_product(obj)

    @staticmethod
    def resolve_export_markets(obj):
        return [c.code for c in obj.export_markets]

    @staticmethod
    def resolve_quality_certifications(obj):
        return list(obj.quality_certifications.all())

    @staticmethod
    def resolve_certification_history(obj):
        return list(obj.certifications.with_supersession().order_by("-signed_on", "-pk"))


def _product_listed():
    return Exists(ProductPage.objects.visible().filter(pk=OuterRef("product_id")))


def _visible_products():
    return (
        ProductPage.objects.visible()
        .select_related("producer", "producer__responsiveness", "province", "category", "category__parent")
        .order_by("title", "pk")
    )


@router.get("/products/{slug}/", response=ProductDetailOut, tags=["products"])
def get_product(request, slug: str):
    return get_object_or_404(_visible_products(), slug=slug)


class CertificationFilters(PageParams):
    q: str | None = Field(None, description="Decision number, product or producer, with or without diacritics")
    status: Certification.Status | None = None


class CertificationPageOut(PageOut):
    items: list[CertificationOut]


@router.get("/certifications/", response=CertificationPageOut, tags=["certifications"])
def list_certifications(request, filters: Query[CertificationFilters]):
    """Every public record, newest first, whatever its status."""
    records = Certification.objects.with_supersession().select_related("legacy_province", "product")
    records = records.order_by("-signed_on", "-pk")
    if filters.q:
        records = records.matching(plain_text(filters.q, 200))
    if filters.status:
        records = records.with_status(filters.status)
    page = page_of(request, filters, records.count())
    start = (filters.page - 1) * filters.page_size
    items = records.annotate(product_listed=_product_listed())[start : start + filters.page_size]
    return {**page, "items": list(items)}


@router.get("/certifications/{int:pk}/", response=CertificationOut, tags=["certifications"])
def get_certification(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    records = Certification.objects.with_supersession().select_related("legacy_province", "product")
    return get_object_or_404(records.annotate(product_listed=_product_listed()), pk=pk)


@router.get("/provinces/", response=list[ProvinceOut], tags=["places"])
def list_provinces(request, era: Province.Era | None = None):
    provinces = Province.objects.select_related("successor").order_by("era", "code")
    return provinces.filter(era=era) if era else provinces


@router.get("/categories/", response=list[CategoryOut], tags=["categories"])
def list_categories(request):
    return Category.objects.select_related("parent")
