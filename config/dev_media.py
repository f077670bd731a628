"""Uploads served by the development server (config/urls.py adds the route when DEBUG is on).

Django's `serve` hands the requested path to the file system, which refuses a name longer
than it can hold (ENAMETOOLONG, 255 bytes a name on Linux) with an OSError, a 500; a path
that names no file is a 404 whatever the reason.
"""

from django.http import Http404
from django.utils.translation import gettext
from django.views.static import serve


def serve_media(request, path, document_root=None, show_indexes=False):
    try:
        return serve(request, path, document_root=document_root, show_indexes=show_indexes)
    except OSError:
        raise Http404(gettext("No page has this address.")) from None
