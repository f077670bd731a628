"""What the index holds for a product, computed from THE visibility rule.

`index_rows` turns visible product pages into flat, folded rows that every engine stores.
The embedded engine keeps them in SearchEntry; Elasticsearch in ProductDocument.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from html import unescape

from django.utils import timezone, translation

from wagtail.models import Site

from catalogue.lookups import reference
from catalogue.models import Certification, ProductPage, QualityCertification, Responsiveness
from catalogue.text import fold, words

from .query import QUALITY_BITS, QUALITY_SCHEMES
from .stemming import stems
from .tones import marked_text

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
    quality_mask: int
    quality: list  # quality-certification scheme slugs
    published_at: datetime | None
    sort_name: str
    # The producer's median time to a first reply in working minutes, once measured (catalogue.Responsiveness).
    reply_minutes: int | None
    # Folded text by field, as relevance weighs them: names above description above the rest.
    name_text: str  # title and English name
    description_text: str  # both descriptions, HTML stripped
    other_text: str  # producer, province (legacy names too), product groups, quality labels
    document: str  # the three joined
    # The same words with their marks kept, tone placement made canonical (search.tones):
    # a query typed with diacritics ranks the exact spelling above folded-only matches.
    marked_text: str

    def as_dict(self):
        return asdict(self)


def _plain(html):
    return unescape(_TAGS.sub(" ", html or ""))


class _SiteUrls:
    """Page URLs relative to their site's root, computed without a query per page."""

    def __init__(self):
        self.root_paths = sorted(
            (root_path for _id, root_path, *_ in Site.get_site_root_paths()),
            key=lambda root_path: -len(root_path),
        )

    def url(self, url_path):
        for root_path in self.root_paths:
            if url_path.startswith(root_path):
                return "/" + url_path[len(root_path) :]
        return url_path


def visible_with_record(on=None):
    """Visible products annotated with the dates of the record that makes them visible."""
    return ProductPage.objects.visible(on).annotate(current_record_id=Certification.objects.current_value("pk", on))


def index_rows(pages, on=None):
    """IndexRows for the visible products among `pages` (a ProductPage queryset)."""
    urls = _SiteUrls()
    on = on or timezone.localdate()
    # In product-group order: a rebuild writes the rows so, and on PostgreSQL the products
    # a query matches (fish sauces, teas) then share heap pages; at 200,000 products that
    # halves the pages a text query reads (docs/search.md, Benchmark).
    visible = (
        visible_with_record(on).select_related("producer", "producer__responsiveness").order_by("category__code", "pk")
    )
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
            yield _row(page, records[page.current_record_id], sorted(schemes.get(page.pk, ())), urls)


def _scheme_labels(scheme):
    """A scheme's English label and its Vietnamese one, whatever language is active: the
    index must not depend on who triggered the write, and buyers search in both."""
    label = QUALITY_SCHEMES[scheme]
    with translation.override(None):
        english = str(label)
    with translation.override("vi"):
        vietnamese = str(label)
    return [english] if vietnamese == english else [english, vietnamese]


def _joined(*texts):
    """Folded words with English plurals made singular, as queries are (search.stemming)."""
    return " ".join(stems(words(" ".join(t for t in texts if t))))


def _row(page, record, quality, urls):
    known = reference(require_province=page.province_id, require_category=page.category_id)
    province = known.provinces[page.province_id]
    category = known.categories_by_id[page.category_id]
    # A product without an English name is found in English by the name the glossary composes.
    names = (page.title, page.name_en or page.glossary_name)
    descriptions = (_plain(page.description), _plain(page.description_en))
    others = (
        page.producer.name,
        province.name,
        province.full_name,
        *known.legacy_names.get(province.pk, []),
        *known.category_words(category),
        *[label for scheme in quality for label in _scheme_labels(scheme)],
    )
    name_text, description_text, other_text = _joined(*names), _joined(*descriptions), _joined(*others)
    return IndexRow(
        page_id=page.pk,
        title=page.title,
        name_en=page.name_en,
        url=urls.url(page.url_path),
        province_id=province.pk,
        province_slug=province.slug,
        category_id=category.pk,
        category_code=category.code,
        stars=page.current_stars,
        signed_on=record.signed_on,
        expires_on=record.expires_on,
        revoked_on=record.revoked_on,
        sample_available=page.sample_available,
        quality_mask=sum(QUALITY_BITS[scheme] for scheme in quality),
        quality=quality,
        published_at=page.first_published_at,
        sort_name=fold(page.title)[:255],
        reply_minutes=_reply_minutes(page.producer),
        name_text=name_text,
        description_text=description_text,
        other_text=other_text,
        document=" ".join(t for t in (name_text, description_text, other_text) if t),
        marked_text=marked_text(*names, *descriptions, *others),
    )


def _reply_minutes(producer):
    try:
        return producer.responsiveness.reply_minutes
    except Responsiveness.DoesNotExist:
        return None


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
