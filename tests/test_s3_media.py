"""Production media over the S3 API: with AWS_STORAGE_BUCKET_NAME set, the default storage is
the bucket (django-storages), originals keep their random names and URLs name the public
address (AWS_S3_CUSTOM_DOMAIN), never a signed one. Against a real S3 server: moto_server."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MOTO = Path(sys.executable).with_name("moto_server")


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 (the S3 server from the dev requirements)
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):  # up to 20 s for it to listen
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


SCRIPT = """
import boto3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.storage import storages
endpoint = storages["default"].endpoint_url
boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="media-test")
# As a FileField names an upload: generate_filename adds the random prefix.
upload = default_storage.generate_filename("original_images/nuoc-mam.jpg")
name = default_storage.save(upload, ContentFile(b"picture-bytes"))
print(type(storages["default"]).__name__)
print(name)
print(default_storage.open(name).read().decode())
print(default_storage.url(name))
"""


def test_production_stores_media_in_the_bucket(s3_endpoint):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        WAGTAILADMIN_BASE_URL="https://ocop.example.vn",
        REDIS_URL="redis://127.0.0.1:6379/7",
        AWS_STORAGE_BUCKET_NAME="media-test",
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_CUSTOM_DOMAIN="ocop.example.vn/media",
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    kind, name, content, url = result.stdout.split()
    assert kind == "UnguessableS3Storage"
    assert (
        name.startswith("original_images/")
        and name.endswith("_nuoc-mam.jpg")
        and len(name) > len("original_images/_nuoc-mam.jpg") + 10
    )
    assert content == "picture-bytes"
    assert url == f"https://ocop.example.vn/media/{name}"
