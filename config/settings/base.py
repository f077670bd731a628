"""Settings shared by every environment; everything that differs comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "catalogue",
    "search",
    "marketplace",
    "themes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # Here, django-ninja serves /api/v1/docs from its own static files (Swagger UI pinned with it,
    # no inline script) instead of a CDN the Content-Security-Policy refuses.
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: everything after it (rate limits, login lockouts, logs) sees the client's address.
    "config.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session reads its cookie and any view looks a path segment up.
    "config.middleware.ImpossiblePathMiddleware",
    # Outside the session, CSRF, authentication and messages: it sees the answer as they leave it.
    "config.caching.SharedCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin URLs naming another producer's page, image, producer or record answer 404.
    "catalogue.middleware.AdminScopeMiddleware",
    # A GET reads Wagtail's private sections once, however many pages and querysets ask.
    "catalogue.restrictions.ViewRestrictionsOnceMiddleware",
    # A GET reads the page tree's version once: Site, root paths and index pages as last read.
    "catalogue.page_tree.PageTreeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.robots.NoIndexPrivatePagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # {% url %} with the site's fixed addresses remembered per process (catalogue/addresses.py).
            "builtins": ["catalogue.templatetags.addresses"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while a background task writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif (prepare_threshold := int(os.environ.get("DB_PREPARE_THRESHOLD", "2"))) > 0:
    # PostgreSQL plans a statement every time it receives one: for a product page's routing (seven
    # tables joined) planning took 5 ms of the server's CPU and running it 0.8. Server-side
    # parameters let psycopg prepare a statement once a connection has sent it this many times;
    # the server then keeps its plan (or plans again where a generic plan would cost more).
    # 0 turns it off, for a pooler that cannot keep prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=prepare_threshold)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Number formats per language (intcomma, floatformat "g"): Vietnamese groups digits with "." (config/formats/vi).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "themes" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Original images (and so their renditions) get random names: see catalogue/storage.py.
    "default": {"BACKEND": "catalogue.storage.UnguessableFileSystemStorage"},
    # whitenoise's compressed manifest storage, each address found once (config/staticfiles.py).
    "staticfiles": {"BACKEND": "config.staticfiles.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "OCOP Marketplace"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No remote avatars: they would send staff e-mail hashes to a third party and break the CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp"]
# Wagtail's own search backend serves the admin only; the public catalogue uses search/.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP Marketplace <no-reply@ocop.example.vn>")
# The relay production's SMTP backend sends through (Django's own setting names).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("TASKS_BACKEND") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Search engine for the public catalogue: "embedded" (the site's own database) or
# "elasticsearch" (ELASTICSEARCH_URL). See search/README section in the project README.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "embedded")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "ocop-products")
# osmem-server (the local stack's OpenSearch-compatible server) refuses the client's
# compatible-with media type; a real Elasticsearch cluster needs no flag.
ELASTICSEARCH_PLAIN_JSON = env_bool("ELASTICSEARCH_PLAIN_JSON")
# Seconds per request to the cluster (5 by default, search/engines/elasticsearch.py): buyers'
# searches fall back rather than wait; a bulk rebuild on a busy machine may be given longer.
if os.environ.get("ELASTICSEARCH_TIMEOUT"):
    ELASTICSEARCH_CLIENT_OPTIONS = {"request_timeout": float(os.environ["ELASTICSEARCH_TIMEOUT"])}

STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Empty: Stripe's own API. The tests (and the payments benchmark) point it at a local fake.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# Where "Pay by card" redirects the buyer: the order page's form-action allows it (CSP).
STRIPE_CHECKOUT_ORIGIN = os.environ.get("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")

# Login throttling (django-axes): five wrong passwords for one account from one address lock
# that pair for 15 minutes. Locking the account alone would let anyone lock an agency
# officer out by typing their e-mail address five times.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every attempt is already in the admin (Access attempts); no log line per login.
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"

# Proxies in front of the site that append to X-Forwarded-For (0: clients connect directly).
# Rate limits, login lockouts and logs take the client's address from it (config/client_address.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "config.client_address.client_address"

# Demand figures: searches and page views counted without personal data (marketplace/demand);
# DEMAND_RECORDING=0 switches the counting off.
DEMAND_RECORDING = os.environ.get("DEMAND_RECORDING", "1") != "0"

# Content-Security-Policy (django-csp): same-origin everything; images may also come over
# HTTPS (embeds, producers' logos from a CDN). Wagtail's admin needs inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail logs every page action at INFO; the history in the admin already keeps them.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# Buyer inquiries (marketplace/inquiries): anti-spam without a third-party service. The
# rates are django-ratelimit's ("20/h"); the benchmark raises them for its run.
INQUIRY_MIN_FILL_SECONDS = int(os.environ.get("INQUIRY_MIN_FILL_SECONDS", "3"))
INQUIRY_RATE_PER_IP = os.environ.get("INQUIRY_RATE_PER_IP", "20/h")
INQUIRY_RATE_PER_EMAIL = os.environ.get("INQUIRY_RATE_PER_EMAIL", "5/h")
