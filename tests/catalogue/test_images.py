"""A hidden product's pictures cannot be fetched by a URL guessed from its slug."""

import datetime
import io
import uuid

import pytest
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.static import serve

from wagtail.images.models import Image

from catalogue.demo.loader import demo_image
from catalogue.models import ProductImage
from catalogue.storage import is_protected
from tests.factories import UserFactory, certified_product

pytestmark = pytest.mark.django_db

# The command speaks the active language; the expected text is built the same way.
MOVED = gettext("%(moved)s original images moved to unguessable names.")
# The product page's main picture: its first (smallest) rendition is the <img> src.
PAGE_PICTURE = "fill-640x480|format-webp"


@pytest.fixture(autouse=True)
def _forget_renditions():
    # Wagtail caches renditions by image id, and ids come round again after each test's rollback.
    from django.core.cache import cache

    cache.clear()


def fetch(path):
    """What a plain file server over MEDIA_ROOT answers (Django's static view under `make run`)."""
    try:
        return serve(RequestFactory().get(f"/media/{path}"), path, document_root=settings.MEDIA_ROOT).status_code
    except Http404:
        return 404


def media_path(url):
    assert url.startswith(settings.MEDIA_URL)
    return url[len(settings.MEDIA_URL) :]


def jpeg():
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), "#1f6f43").save(buffer, "JPEG")
    return buffer


def product_with_image(parent, slug, **fields):
    page = certified_product(parent, slug=slug, **fields)
    image = demo_image(slug, f"Demo {slug}", "1")
    ProductImage.objects.create(page=page, image=image, caption=page.title)
    return page, image


def test_a_hidden_products_pictures_are_not_where_its_slug_says(client, product_index):
    slug = f"expired-{uuid.uuid4().hex[:8]}"
    signed = timezone.localdate() - datetime.timedelta(days=4 * 365)
    page, image = product_with_image(product_index, slug, signed_on=signed)
    assert client.get(page.url).status_code == 410
    assert fetch(f"original_images/{slug}.jpg") == 404
    assert is_protected(image.file.name) and image.file.name.endswith(f"_{slug}.jpg")
    rendition = image.get_rendition("fill-640x480")
    assert fetch(f"images/{slug}.fill-640x480.jpg") == 404
    assert rendition.file.name.startswith(image.file.name.replace("original_images/", "images/")[:-4])


def test_a_visible_products_pictures_still_show_on_its_page_and_in_the_admin(client, product_index):
    slug = f"listed-{uuid.uuid4().hex[:8]}"
    page, image = product_with_image(product_index, slug)
    html = client.get(page.url).content.decode()
    rendition = image.get_rendition(PAGE_PICTURE)
    assert rendition.url in html
    assert fetch(media_path(rendition.url)) == 200
    assert fetch(image.file.name) == 200

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/images/").status_code == 200
    edit = client.get(f"/admin/images/{image.pk}/")
    assert edit.status_code == 200
    assert image.get_rendition("max-800x600").url in edit.content.decode()


def test_uploads_through_the_admin_get_random_names(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    upload = SimpleUploadedFile("nuoc-mam-phu-quoc.jpg", jpeg().getvalue(), content_type="image/jpeg")
    response = client.post("/admin/images/multiple/add/", {"files[]": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["success"], response.content
    image = Image.objects.get(pk=response.json()["image_id"])
    assert is_protected(image.file.name) and image.file.name.endswith("_nuoc-mam-phu-quoc.jpg")


def test_images_stored_before_keep_working_once_moved_to_random_names(client, product_index, capsys):
    slug = f"old-{uuid.uuid4().hex[:8]}"
    page = certified_product(product_index, slug=slug)
    # As the plain storage used to name it.
    old_name = FileSystemStorage(location=settings.MEDIA_ROOT).save(f"original_images/{slug}.jpg", jpeg())
    image = Image.objects.create(title="Old", file=old_name, width=800, height=600)
    assert image.file.name == f"original_images/{slug}.jpg"
    ProductImage.objects.create(page=page, image=image)
    old_rendition = image.get_rendition(PAGE_PICTURE).file.name
    assert client.get(page.url).status_code == 200

    call_command("protect_image_names")
    assert MOVED % {"moved": 1} in capsys.readouterr().out
    image.refresh_from_db()
    assert is_protected(image.file.name)
    assert not default_storage.exists(old_name)
    assert fetch(f"original_images/{slug}.jpg") == 404
    html = client.get(page.url).content.decode()
    rendition = image.get_rendition(PAGE_PICTURE)
    assert rendition.file.name != old_rendition and rendition.url in html
    assert fetch(media_path(rendition.url)) == 200
    # Already protected: a second run moves nothing.
    call_command("protect_image_names")
    assert MOVED % {"moved": 0} in capsys.readouterr().out


def test_cards_carry_each_producers_measured_replies_whether_or_not_the_producer_came_loaded(
    product_index, django_assert_num_queries
):
    """prefetch_cards loads a card's producer with its responsiveness (the API's items show it),
    and a producer loaded before without it gets it, not a second producer object."""
    from catalogue.models import ProductPage, Responsiveness, prefetch_cards

    measured = certified_product(product_index, slug=f"measured-{uuid.uuid4().hex[:6]}")
    newcomer = certified_product(product_index, slug=f"newcomer-{uuid.uuid4().hex[:6]}")
    figures = Responsiveness.objects.create(
        producer=measured.producer, inquiries=4, answered=4, median_reply_minutes=90, computed_at=timezone.now()
    )
    pages = list(ProductPage.objects.filter(pk__in=[measured.pk, newcomer.pk]).order_by("pk"))
    already = pages[0].producer  # loaded on its own, without its responsiveness
    with django_assert_num_queries(3):  # producers with their responsiveness, provinces, pictures (none)
        prefetch_cards(pages)
    with django_assert_num_queries(0):
        assert pages[0].producer is already and already.responsiveness == figures
        assert pages[0].producer.responsiveness.median_reply_minutes == 90
        assert getattr(pages[1].producer, "responsiveness", None) is None
        assert pages[1].producer.pk == newcomer.producer_id and pages[1].province.pk == newcomer.province_id


def test_card_pictures_load_in_two_queries_with_their_renditions_and_pages(product_index, django_assert_num_queries):
    """prefetch_cards keeps what Django's prefetch would: each page's pictures (in order), each
    picture's page and image, each image's renditions, read afterwards without a query; an image
    shown on two pages keeps renditions of its own on each."""
    from catalogue.models import ProductPage, prefetch_cards

    first, image = product_with_image(product_index, f"first-{uuid.uuid4().hex[:6]}")
    second, other = product_with_image(product_index, f"second-{uuid.uuid4().hex[:6]}")
    ProductImage.objects.filter(page=second).update(sort_order=0)
    ProductImage.objects.create(page=second, image=image, caption="again", sort_order=1)
    bare = certified_product(product_index, slug=f"bare-{uuid.uuid4().hex[:6]}")
    image.get_rendition(PAGE_PICTURE)
    pages = list(ProductPage.objects.filter(pk__in=[first.pk, second.pk, bare.pk]).order_by("pk"))
    with django_assert_num_queries(4):  # producers with their responsiveness, provinces, pictures, renditions
        prefetch_cards(pages)
    with django_assert_num_queries(0):
        shown = {
            page.pk: [(p.image_id, p.page is page, p.caption) for p in page.gallery_images.all()] for page in pages
        }
        pictures = [picture for page in pages for picture in page.gallery_images.all()]
        renditions = [
            (picture.image_id, [(r.filter_spec, r.image is picture.image) for r in picture.image.renditions.all()])
            for picture in pictures
        ]
        main = pages[0].main_image.get_rendition(PAGE_PICTURE)
        makers = [(p.producer.pk, getattr(p.producer, "responsiveness", None), p.province.pk) for p in pages]
    assert shown == {
        first.pk: [(image.pk, True, first.title)],
        second.pk: [(other.pk, True, second.title), (image.pk, True, "again")],
        bare.pk: [],
    }
    assert renditions == [(image.pk, [(PAGE_PICTURE, True)]), (other.pk, []), (image.pk, [(PAGE_PICTURE, True)])]
    assert main.image_id == image.pk
    assert makers == [(page.producer_id, None, page.province_id) for page in pages]


def test_responsive_images_write_what_wagtails_responsive_image_writes(product_index):
    """{% responsive_image %} writes its <img> itself (catalogue.templatetags.responsive_images):
    byte for byte Wagtail's, with names and values escaped, marked-safe values left as they
    are, true attributes named, false and empty ones left out, and no srcset for one file."""
    from wagtail.images.models import ResponsiveImage

    from catalogue.templatetags.responsive_images import img_tag

    _page, image = product_with_image(product_index, f"alt-{uuid.uuid4().hex[:6]}")
    image.description = 'Nước mắm "Cửa Khe" <nhãn đỏ> & hộp quà'
    renditions = list(image.get_renditions("fill-320x240", "fill-640x480").values())
    cases = [
        {"sizes": "(max-width: 487px) 100vw, 300px", "loading": "lazy"},
        {"alt": mark_safe("<b>đã an toàn</b>"), "data-zoom": True, "hidden": False, "title": None},
        {"alt": "", "fetchpriority": "high", "class": 'a"b'},
        {},
    ]
    for attrs in cases:
        for chosen in (renditions, renditions[:1]):
            wagtails = ResponsiveImage({str(n): r for n, r in enumerate(chosen)}, dict(attrs)).__html__()
            assert img_tag(chosen, dict(attrs)) == wagtails
    assert "&lt;nhãn đỏ&gt; &amp; hộp" in img_tag(renditions, {})
