"""Product pictures as WebP renditions in a srcset, sized so nothing shifts, lazy only below the fold,
with alt text in the page's language; and every rendition they name is a file the server answers."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.images import ImageFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.static import serve

from wagtail.images.models import Image

from catalogue.demo.loader import demo_image
from catalogue.models import ProductImage, ProductIndexPage
from tests.factories import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_renditions():
    # Wagtail caches renditions by image id, and ids come round again after each test's rollback.
    from django.core.cache import cache

    cache.clear()


def fetch(url):
    """What a plain file server over MEDIA_ROOT answers for a media URL (Django's static view under `make run`)."""
    assert url.startswith(settings.MEDIA_URL), url
    path = url[len(settings.MEDIA_URL) :]
    try:
        return serve(RequestFactory().get(url), path, document_root=settings.MEDIA_ROOT).status_code
    except Http404:
        return 404


def get(client, language, url_of):
    """The page in that language; url_of() is asked inside it, so a language prefix in URLs is followed."""
    with translation.override(language):
        response = client.get(url_of(), HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return BeautifulSoup(response.content, "html.parser")


def candidates(img):
    """[(url, width)] of an <img>'s srcset."""
    pairs = [c.strip().rsplit(" ", 1) for c in img["srcset"].split(",")]
    return [(url, int(descriptor.removesuffix("w"))) for url, descriptor in pairs]


def assert_webp_srcset(img):
    found = candidates(img)
    assert len(found) >= 2, img
    widths = [width for _, width in found]
    assert widths == sorted(set(widths)), img  # each width once, smallest first
    for url, _ in found:
        assert url.endswith(".webp"), url
        assert fetch(url) == 200, url
    assert img["src"] == found[0][0] and fetch(img["src"]) == 200
    # width and height give the box its shape before the file arrives: 4:3 like every rendition.
    assert int(img["width"]) * 3 == int(img["height"]) * 4, img
    assert img.get("sizes"), img


def product_with_pictures(parent, slug, pictures=1, **fields):
    page = certified_product(parent, slug=slug, **fields)
    for n in range(pictures):
        key = f"{slug}-{n}"
        ProductImage.objects.create(page=page, image=demo_image(key, key, "1"), caption=f"Ảnh {n + 1} của {page.title}")
    return page


@pytest.mark.parametrize(("language", "alt"), [("vi", "Nước mắm Cửa Khe"), ("en", "Cua Khe fish sauce")])
def test_the_product_pages_main_picture_loads_at_once_and_the_others_wait(client, product_index, language, alt):
    page = product_with_pictures(
        product_index, "nuoc-mam-cua-khe", pictures=2, title="Nước mắm Cửa Khe", name_en="Cua Khe fish sauce"
    )
    main, second = get(client, language, lambda: page.url).select(".product-media img")

    assert_webp_srcset(main)
    assert main["alt"] == alt
    assert main.get("loading") != "lazy" and main["fetchpriority"] == "high"

    assert_webp_srcset(second)
    assert second["loading"] == "lazy" and "fetchpriority" not in second.attrs
    # The caption is written in Vietnamese: the English page names the product in English instead.
    assert second["alt"] == ("Ảnh 2 của Nước mắm Cửa Khe" if language == "vi" else "Cua Khe fish sauce")


@pytest.mark.parametrize(
    ("name", "url_of", "grid", "eager"),
    [
        # The home page's first grid (top rated) is in view; "newly listed" below it waits entirely.
        ("home", lambda: reverse("wagtail_serve", args=[""]), 0, 4),
        ("home", lambda: reverse("wagtail_serve", args=[""]), 1, 0),
        ("search", lambda: reverse("search:search"), 0, 3),
        ("products", lambda: ProductIndexPage.objects.get().url, 0, 4),
    ],
)
def test_the_first_row_of_cards_loads_at_once_and_the_cards_below_it_wait(
    client, product_index, name, url_of, grid, eager
):
    for n in range(6):
        product_with_pictures(product_index, f"mat-ong-{n}")
    shown = get(client, "vi", url_of).select(".grid")[grid].select(".product-card")
    assert len(shown) == 6, name

    pictures = [card.select_one("a.card-link img") for card in shown]
    for img in pictures:
        assert_webp_srcset(img)
        # Inside the link that carries the product's name: the picture adds nothing to read.
        assert img["alt"] == ""
    assert [img.get("loading") for img in pictures] == ["eager"] * eager + ["lazy"] * (6 - eager), name


def test_more_from_the_producer_waits_below_the_fold(client, product_index):
    page = product_with_pictures(product_index, "che-shan-tuyet")
    product_with_pictures(product_index, "che-shan-tuyet-2", producer=page.producer)
    more = get(client, "en", lambda: page.url).select(".product-card img")
    assert len(more) == 1 and more[0]["loading"] == "lazy"
    assert_webp_srcset(more[0])


def test_a_small_original_names_each_width_once(client, product_index):
    # Wagtail never enlarges: 500 px wide gives the 640 and 960 specs both 500 px, which a srcset must not repeat.
    buffer = io.BytesIO()
    PILImage.new("RGB", (500, 375), "#d99a06").save(buffer, "JPEG")
    image = Image.objects.create(title="Small", file=ImageFile(buffer, name="small.jpg"))
    page = certified_product(product_index, slug="banh-trang")
    ProductImage.objects.create(page=page, image=image)

    main = get(client, "vi", lambda: page.url).select_one(".product-media img")
    # One file for every spec: a plain src, and no sizes without a srcset (the Nu checker's rule).
    assert "srcset" not in main.attrs and "sizes" not in main.attrs
    assert main["src"].endswith(".webp") and fetch(main["src"]) == 200
    assert (main["width"], main["height"]) == ("500", "375")
    card = get(client, "vi", lambda: reverse("wagtail_serve", args=[""])).select_one(".product-card img")
    assert [width for _, width in candidates(card)] == [320, 500]
