"""Production: every secret and host from the environment, HTTPS enforced."""

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise RuntimeError("SECRET_KEY must be set in production")
# Invitation and reminder e-mails carry absolute links: without this they would point at localhost.
if not os.environ.get("WAGTAILADMIN_BASE_URL"):  # noqa: F405
    raise RuntimeError("WAGTAILADMIN_BASE_URL must be set in production, e.g. https://ocop.example.vn")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# The load balancer and the containers' own health checks ask over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year, subdomains included: what browsers' preload lists ask for.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
# Production runs behind one proxy (the documented setup); rate limits and lockouts must see the buyer, not it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))  # noqa: F405
# Rate limits count in the cache: a cache per worker would multiply every limit by the number of workers.
if not os.environ.get("REDIS_URL"):  # noqa: F405
    raise RuntimeError("REDIS_URL must be set in production, e.g. redis://127.0.0.1:6379/0")
# A Redis that stops answering (not refusing) is given up in 2 s instead of holding requests
# until TCP gives up, minutes later; while it is down pages are served uncached (config/cache.py).
CACHES = {
    "default": {
        "BACKEND": "config.cache.DegradableRedisCache",
        "LOCATION": os.environ["REDIS_URL"],  # noqa: F405
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# Redis down, the buyer forms' rate limits count nothing: forms are accepted (the one-time token,
# the fill-time stamp and the honeypot still hold) rather than every buyer refused.
RATELIMIT_FAIL_OPEN = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Media (originals, renditions, documents, annexes) in object storage over the S3 API when a
# bucket is named: every app server then reads and writes the same files, so no shared
# volume is needed. AWS_S3_CUSTOM_DOMAIN is where buyers' browsers fetch them (host and path,
# e.g. the proxy's ocop.example.vn/media, which passes /media/ on to the bucket).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):  # noqa: F405
    STORAGES = {  # noqa: F405
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "catalogue.s3storage.UnguessableS3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],  # noqa: F405
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # noqa: F405
                "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),  # noqa: F405
                "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),  # noqa: F405
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,  # noqa: F405
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,  # noqa: F405
                "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),  # noqa: F405
                # Public files at plain addresses (the proxy or CDN in front serves them): signed,
                # expiring URLs would change on every page and defeat every cache.
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
