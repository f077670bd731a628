"""Local development: DEBUG on, a throwaway secret, SQLite unless DATABASE_URL says otherwise."""

import contextlib

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret"  # noqa: F405, S105
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
