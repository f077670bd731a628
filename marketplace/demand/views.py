"""The page-view beacon: product and fair pages come from a shared cache, so the app never sees
most views; a small same-origin script on those pages asks this address once per view.

POST only (no proxy keeps a POST), no cookie read or set, `Cache-Control: no-store`, an empty
204 whatever happens: the visitor's page never waits on or shows the outcome.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wagtail.models import Page

from catalogue.params import record_id

from . import recording

# Only these pages are counted: what a buyer looks at (product and fair pages).
COUNTED_PAGES = {("catalogue", "productpage"), ("marketplace", "fairpage")}


def _counted(page_id):
    found = Page.objects.filter(pk=page_id, live=True).values_list("content_type__app_label", "content_type__model")
    return bool(found) and tuple(found[0]) in COUNTED_PAGES


@csrf_exempt  # no cookie is sent (the script omits credentials), so there is no CSRF token either
@require_POST
@never_cache
def seen(request):
    page_id = record_id(request.GET.get("page"))
    language = recording.language_of(request.GET.get("lang"))
    if recording.enabled() and page_id and language and recording.countable(request) and _counted(page_id):
        recording.record_view(page_id, language)
    return HttpResponse(status=204)
