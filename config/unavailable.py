"""The error page: 503 "try again in a minute" when a part the site needs is down, 500 otherwise.

Django calls `server_error` (config/urls.py's handler500) inside the `except` block of whatever
failed, in a view or in a middleware, so `sys.exc_info()` still names the exception. A database
that refuses or drops connections (PostgreSQL restarting, a failover) and an object store that
cannot be reached (an upload, a new picture size) are not bugs in the request: the buyer gets a
503 page saying so, with `Retry-After`, and the app server needs no restart (Django opens a new
database connection on the next request). Anything else is the plain 500 page.
The page is rendered without a request or context processors: they might need the database.
"""

import sys

import botocore.exceptions

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER = 30  # seconds: a PostgreSQL restart or a failover takes about that long

DATABASE_DOWN = (OperationalError, InterfaceError)
STORAGE_DOWN = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)


def unavailable_part(error):
    """Which part an exception says is down: "database", "storage" or None."""
    if isinstance(error, DATABASE_DOWN):
        return "database"
    if isinstance(error, STORAGE_DOWN):
        return "storage"
    return None


@requires_csrf_token
def server_error(request):
    part = unavailable_part(sys.exc_info()[1])
    if part is None:
        return HttpResponseServerError(loader.get_template("500.html").render())
    response = HttpResponse(loader.get_template("503.html").render({"part": part}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
