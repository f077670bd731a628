"""Object storage (a real moto S3 server) stopped: pages still render with the pictures already
stored, an upload in the admin gets a clear error, and nothing is half-written (no image row
without its file)."""

import sys
from pathlib import Path

import boto3
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalogue.models import ProductImage
from tests.faults.conftest import Server, free_port

# Transactional: the failed upload runs as in production, not inside the test's own transaction.
pytestmark = pytest.mark.django_db(transaction=True)
MOTO = Path(sys.executable).with_name("moto_server")
BUCKET = "faults-media"


@pytest.fixture
def bucket(settings):
    port = free_port()
    server = Server([str(MOTO), "-H", "127.0.0.1", "-p", str(port)], port).start()
    endpoint = f"http://127.0.0.1:{port}"
    options = {"endpoint_url": endpoint, "access_key": "test", "secret_key": "test", "region_name": "us-east-1"}
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "catalogue.s3storage.UnguessableS3Storage",
            "OPTIONS": {
                **options,
                "bucket_name": BUCKET,
                "custom_domain": "ocop.example.vn/media",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    try:
        yield server
    finally:
        server.stop()


def upload(client, name):
    picture = get_test_image_file(filename=name)
    upload = SimpleUploadedFile(name, picture.file.getvalue(), content_type="image/png")
    return client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload})


# Over 10 s on a loaded machine (15 s at load 12): moto starts, renditions are made, 8 pages rendered.
def test_pages_render_and_uploads_fail_clearly_while_storage_is_down(bucket, page_a, agency):
    Image = get_image_model()
    staff = Client(raise_request_exception=False, headers={"accept-language": "en"})
    staff.force_login(agency)
    assert upload(staff, "nuoc-mam.png").status_code == 200
    image = Image.objects.get()
    ProductImage.objects.create(page=page_a, image=image)
    pages = ["/vi/", page_a.url, page_a.get_parent().url, page_a.producer.get_absolute_url()]
    # Storage up: every page that shows the picture makes its renditions now.
    assert [Client().get(path).status_code for path in pages] == [200] * len(pages)
    assert "ocop.example.vn/media/images/" in Client().get(page_a.url).content.decode()

    bucket.stop()
    # Storage down: the same pages, in both languages, from the renditions already recorded.
    for path in pages:
        for language in ("vi", "en"):
            address = path.replace("/vi/", f"/{language}/", 1)
            assert Client().get(address).status_code == 200, address
    # An upload: a clear error in the admin's answer, no image row without its file.
    response = upload(staff, "che-tan-cuong.png")
    assert response.status_code == 503 and response["Retry-After"]
    assert "The file store cannot be reached, so nothing was uploaded" in response.content.decode()
    assert list(Image.objects.all()) == [image]
