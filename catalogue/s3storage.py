"""Media in object storage over the S3 API (MinIO, AWS S3, moto in the local stack).

Production switches STORAGES["default"] to this class when AWS_STORAGE_BUCKET_NAME is set
(config/settings/production.py), so every app server reads and writes the same files: an
image uploaded through one server is served whichever server renders the page. Originals
keep their random prefix (catalogue/storage.py). A module of its own so that boto3 is
imported only by the processes that store media in a bucket.
"""

from botocore.config import Config
from storages.backends.s3 import S3Storage

from .storage import UnguessableNamesMixin

# A store that stops answering must fail an upload (and /healthz/'s storage probe) in
# seconds, not after botocore's default 60 s and its retries.
CLIENT_CONFIG = {"connect_timeout": 2, "read_timeout": 10, "retries": {"max_attempts": 2, "mode": "standard"}}


class UnguessableS3Storage(UnguessableNamesMixin, S3Storage):
    def __init__(self, **settings):
        if settings.get("client_config") is None:
            settings["client_config"] = Config(
                s3={"addressing_style": settings.get("addressing_style") or "path"},
                signature_version="s3v4",
                **CLIENT_CONFIG,
            )
        super().__init__(**settings)
