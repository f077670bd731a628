"""What the index holds for a product, computed from THE visibility rule.

`index_rows` turns visible product pages into flat, folded rows that every engine stores.
The embedded engine keeps them in SearchEntry; Elasticsearch in ProductDocument.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from html import unescape

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from wagtail.models import Site

from catalogue.models import Category, Certification, ProductPage, Province, QualityCertification

from .contract import CERT_BITS, fold

_TAGS = re.compile(r"<[^>]+>")
CHUNK = 2000


@dataclass
class IndexRow:
    page_id: int
    title: str
    name_en: str
    url: str
    province_id: int
    province_slug: str
    category_id: int
    category_code: str
    stars: int
    signed_on: date
    expires_on: date
    revoked_on: date | None
    sample_available: bool
    cert_mask: int
    certs: list
    published_at: datetime | None
    sort_name: str
    document: str

    def as_dict(self):
        return asdict(self)


def _plain(html):
    return unescape(_TAGS.sub(" ", html or ""))


class _Names:
    """Province and category names, loaded once per build."""

    def __init__(self):
        self.provinces = {p.pk: p for p in Province.objects.all()}
        self.legacy_names = {}
        for p in self.provinces.values():
            if p.successor_id:
                self.legacy_names.setdefault(p.successor_id, []).append(p.name)
        self.categories = {c.pk: c for c in Category.objects.all()}
        self.categories_by_code = {c.code: c for c in self.categories.values()}
        self.root_paths = sorted(
            ((root_path, root_url) for _id, root_path, root_url, *_ in Site.get_site_root_paths()),
            key=lambda r: -len(r[0]),
        )

    def category_words(self, category):
        parts = category.code.split(".")
        words = []
        for depth in range(1, len(parts) + 1):
            node = self.categories_by_code.get(".".join(parts[:depth]))
            if node:
                words += [node.name, node.name_en]
        return words

    def url(self, url_path):
        for root_path, _root_url in self.root_paths:
            if url_path.startswith(root_path):
                return "/" + url_path[len(root_path) :]
        return url_path


def visible_with_record(on=None):
    """Visible products annotated with the dates of the record that makes them visible."""
    current = Certification.objects.current(on).filter(product=OuterRef("pk")).values("pk")
    return ProductPage.objects.visible(on).annotate(current_record_id=Subquery(current[:1]))


def index_rows(pages, on=None, names=None):
    """IndexRows for the visible products among `pages` (a ProductPage queryset)."""
    names = names or _Names()
    on = on or timezone.localdate()
    visible = visible_with_record(on).select_related("producer").order_by("pk")
    if pages is not None:
        visible = visible.filter(pk__in=pages.values("pk"))
    for chunk in _chunks(visible.iterator(chunk_size=CHUNK), CHUNK):
        records = Certification.objects.in_bulk([p.current_record_id for p in chunk])
        schemes = {}
        for qc in QualityCertification.objects.filter(page_id__in=[p.pk for p in chunk]).only(
            "page_id", "scheme", "expires_on"
        ):
            if qc.expires_on is None or qc.expires_on > on:
                schemes.setdefault(qc.page_id, set()).add(qc.scheme)
        for page in chunk:
            yield _row(page, records[page.current_record_id], sorted(schemes.get(page.pk, ())), names)


def _row(page, record, certs, names):
    province = names.provinces[page.province_id]
    category = names.categories[page.category_id]
    text = [
        # Names twice: ranking counts term frequency, so a name match outranks a group-name one.
        page.title,
        page.name_en,
        page.title,
        page.name_en,
        _plain(page.description),
        _plain(page.description_en),
        page.producer.name,
        province.name,
        province.full_name,
        *names.legacy_names.get(province.pk, []),
        *names.category_words(category),
        *[CERT_LABELS[c] for c in certs],
    ]
    return IndexRow(
        page_id=page.pk,
        title=page.title,
        name_en=page.name_en,
        url=names.url(page.url_path),
        province_id=province.pk,
        province_slug=province.slug,
        category_id=category.pk,
        category_code=category.code,
        stars=page.current_stars,
        signed_on=record.signed_on,
        expires_on=record.expires_on,
        revoked_on=record.revoked_on,
        sample_available=page.sample_available,
        cert_mask=sum(CERT_BITS[c] for c in certs),
        certs=certs,
        published_at=page.first_published_at,
        sort_name=fold(page.title)[:255],
        document=fold(" ".join(t for t in text if t)),
    )


CERT_LABELS = dict(QualityCertification.Scheme.choices)


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def all_rows(on=None):
    return index_rows(None, on=on)
