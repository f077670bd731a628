"""Demo collections for `load_demo`: one hand-picked (Tết gifts), one kept up to date by saved searches."""

from django.db import transaction

from catalogue.models import HomePage, ProductPage

from . import site
from .models import CollectionItem, CollectionRule, ProductCollectionPage

TET_GIFTS = {
    "slug": "qua-tet",
    "title": "Quà Tết OCOP",
    "title_en": "OCOP gifts for Tết",
    "intro": "<p>Bánh kẹo, trà, rượu và đồ gốm để biếu dịp Tết, do Trung tâm chọn.</p>",
    "intro_en": "<p>Sweets, tea, spirits and ceramics to give at Tết, picked by the agency.</p>",
    "items": [
        "keo-dua-sua-la-dua",
        "keo-cu-do-ha-tinh",
        "long-nhan-say-hung-yen",
        "che-tan-cuong-dac-biet",
        "ruou-lang-van",
        "bo-am-chen-men-lam-bat-trang",
        "mut-khong-co",  # not in the demo catalogue: skipped, as a product that left would be
    ],
    "rules": [],
}

MEKONG = {
    "slug": "4-5-sao-dong-bang-song-cuu-long",
    "title": "4★ và 5★ vùng Đồng bằng sông Cửu Long",
    "title_en": "4★ and 5★ from the Mekong Delta",
    "intro": "<p>Mọi sản phẩm 4 và 5 sao của các tỉnh Đồng bằng sông Cửu Long, cập nhật tự động.</p>",
    "intro_en": "<p>Every 4★ and 5★ product of the Mekong Delta provinces, kept up to date by saved searches.</p>",
    "items": [],
    "rules": [
        f"stars=4&province={slug}&sort=stars"
        for slug in ("an-giang", "can-tho", "vinh-long", "dong-thap", "ca-mau", "tay-ninh")
    ],
}


def ensure_collection_index(home=None):
    """/collections/ under the home page (the one `setup_site` creates)."""
    return site.ensure_collection_index(home or HomePage.objects.first())[0]


def _products(keys):
    by_slug = {p.slug: p for p in ProductPage.objects.filter(slug__in=keys)}
    return [by_slug[k] for k in keys if k in by_slug]


def _collection(index, spec):
    page = ProductCollectionPage.objects.filter(slug=spec["slug"]).first()
    if page is None:
        page = index.add_child(
            instance=ProductCollectionPage(slug=spec["slug"], title=spec["title"], intro=spec["intro"])
        )
    page.title, page.intro = spec["title"], spec["intro"]
    page.title_en, page.intro_en = spec["title_en"], spec["intro_en"]
    page.items = [CollectionItem(product=p, sort_order=i) for i, p in enumerate(_products(spec["items"]))]
    page.rules = [CollectionRule(params=params, sort_order=i) for i, params in enumerate(spec["rules"])]
    page.save_revision().publish()
    return page


@transaction.atomic
def load_demo_collections():
    """Returns the demo collections (updated in place on a second run)."""
    index = ensure_collection_index()
    return [_collection(index, TET_GIFTS), _collection(index, MEKONG)]
