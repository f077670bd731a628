"""A producer's page shows only images the producer could have chosen, whatever ids it posts.

Producer A edits its own page and posts the id of producer B's image: in a gallery row, in a
rich-text image embed, in the preview. Each is a form error beside the field, nothing is saved,
and the page shown again names neither the picture's title nor its file. The agency may use any
image; a picture the agency put on A's page stays through A's later edits; list_foreign_images
lists pages stored before the check.
"""

import io
import json

import pytest
import wagtail_factories

from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalogue.management.commands.list_foreign_images import SUMMARY
from catalogue.models import ProductImage, ProductPage

pytestmark = pytest.mark.django_db

REFUSED = "This image is not one you may use"


@pytest.fixture(autouse=True)
def _forget_renditions():
    # Wagtail caches renditions by image id, and ids come round again after each test's rollback.
    from django.core.cache import cache

    cache.clear()


def image_of(user, title):
    return wagtail_factories.ImageFactory(
        title=title, uploaded_by_user=user, collection=Collection.get_first_root_node()
    )


@pytest.fixture
def image_a(user_a):
    return image_of(user_a, "Cửa Khe bottle")


@pytest.fixture
def image_b(user_b):
    return image_of(user_b, "Zebra hidden leaf")


def embed(image):
    return f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="x"/>'


def page_data(page, gallery=(), description="<p>Ủ chượp 18 tháng.</p>", **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "producer": page.producer_id,
            "category": page.category_id,
            "province": page.province_id,
            "description": rich_text(description),
            "description_en": rich_text(""),
            "gallery_images": inline_formset([{"image": image.pk, "caption": "ảnh"} for image in gallery]),
            "quality_certifications": inline_formset([]),
            "sample_max_quantity": "3",
            **extra,
        }
    )


def edit(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), page_data(page, **data))


def shows(response, image):
    html = response.content.decode()
    return image.title in html or image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] in html


def saved_images(page):
    page = ProductPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return {row.image_id for row in page.gallery_images.all()}, page.description


def test_another_producers_image_in_a_gallery_row_is_a_form_error(client, user_a, page_a, image_b):
    client.force_login(user_a)
    response = edit(client, page_a, gallery=[image_b])
    assert response.status_code == 200
    row = response.context["form"].formsets["gallery_images"].forms[0]
    assert REFUSED in str(row.errors["image"])
    assert not shows(response, image_b)
    assert image_b.pk not in saved_images(page_a)[0]
    assert not ProductImage.objects.filter(image=image_b, page__producer=page_a.producer).exists()


def test_another_producers_image_in_a_rich_text_embed_is_a_form_error(client, user_a, page_a, image_b):
    client.force_login(user_a)
    response = edit(client, page_a, description=f"<p>Xem ảnh</p>{embed(image_b)}")
    assert response.status_code == 200
    assert REFUSED in str(response.context["form"].errors["description"])
    assert not shows(response, image_b)
    assert f'id="{image_b.pk}"' not in saved_images(page_a)[1]


def test_an_embed_naming_no_image_is_a_form_error_too(client, user_a, page_a):
    client.force_login(user_a)
    # Posted as the editor's own contentstate: the test helper rich_text() would look the id up.
    entity = {"type": "IMAGE", "mutability": "IMMUTABLE", "data": {"id": "abc", "format": "fullwidth", "alt": ""}}
    block = {"key": "a", "type": "atomic", "text": " ", "depth": 0, "inlineStyleRanges": [], "data": {}}
    block["entityRanges"] = [{"offset": 0, "length": 1, "key": 0}]
    data = page_data(page_a)
    data["description"] = json.dumps({"blocks": [block], "entityMap": {"0": entity}})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page_a.pk]), data)
    assert response.status_code == 200
    assert REFUSED in str(response.context["form"].errors["description"])


def test_the_preview_refuses_another_producers_image(client, user_a, page_a, image_b):
    client.force_login(user_a)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page_a.pk])
    answer = client.post(url, page_data(page_a, gallery=[image_b], description=embed(image_b)))
    assert answer.json()["is_valid"] is False
    assert not shows(client.get(url), image_b)


def test_a_producer_uses_its_own_images_anywhere(client, user_a, page_a, image_a):
    client.force_login(user_a)
    response = edit(client, page_a, gallery=[image_a], description=f"<p>Chai</p>{embed(image_a)}")
    assert response.status_code == 302
    gallery, description = saved_images(page_a)
    assert gallery == {image_a.pk} and f'id="{image_a.pk}"' in description


def test_the_agency_may_use_any_image(client, agency, page_a, image_b):
    client.force_login(agency)
    response = edit(client, page_a, gallery=[image_b], description=embed(image_b))
    assert response.status_code == 302
    gallery, description = saved_images(page_a)
    assert gallery == {image_b.pk} and f'id="{image_b.pk}"' in description


def test_a_picture_the_agency_put_on_the_page_stays_through_the_producers_edits(
    client, agency, user_a, page_a, image_a
):
    picture = image_of(agency, "Agency fair banner")
    client.force_login(agency)
    assert edit(client, page_a, gallery=[image_a], description=embed(picture)).status_code == 302
    client.force_login(user_a)
    response = edit(client, page_a, gallery=[image_a], description=f"<p>Mới</p>{embed(picture)}")
    assert response.status_code == 302
    assert f'id="{picture.pk}"' in saved_images(page_a)[1]


def command_output(*args):
    out = io.StringIO()
    call_command("list_foreign_images", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_pages_holding_another_producers_images(agency, page_a, page_b, image_a, image_b):
    ProductImage.objects.create(page=page_b, image=image_b)
    ProductImage.objects.create(page=page_a, image=image_a)
    ProductImage.objects.create(page=page_a, image=image_b)  # planted as the probe did, before the check
    page_a.description = f"<p>x</p>{embed(image_b)}"
    page_a.save()
    output = command_output()
    lines = output.strip().splitlines()
    assert len(lines) == 3, output
    for field in ("gallery_images.image", "description"):
        assert any(
            page_a.title in line and field in line and image_b.title in line and page_b.producer.name in line
            for line in lines
        ), output
    assert lines[-1] == gettext(SUMMARY) % {"pages": 1, "count": 2}
    assert page_b.title not in output


def test_the_command_says_when_no_page_holds_another_producers_image(page_a, page_b, image_a, image_b):
    ProductImage.objects.create(page=page_a, image=image_a)
    ProductImage.objects.create(page=page_b, image=image_b)
    assert command_output().strip() == gettext(SUMMARY) % {"pages": 0, "count": 0}


def test_the_command_reads_the_latest_draft_too(user_a, page_a, image_b):
    page = ProductPage.objects.get(pk=page_a.pk)
    page.description = f"<p>Bản nháp</p>{embed(image_b)}"
    page.save_revision(user=user_a)
    output = command_output()
    assert f"#{page_a.pk}" in output and gettext("draft") in output and "description" in output
    assert output.strip().splitlines()[-1] == gettext(SUMMARY) % {"pages": 1, "count": 1}
