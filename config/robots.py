"""/robots.txt, and noindex on the pages it disallows: crawl the catalogue, not private pages."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalogue.public_url import public_url

# Private pages are reached by an unguessable token and are noindex anyway; listing their
# prefixes here also keeps crawlers from fetching the forms that lead to them.
UNPREFIXED = [
    "/admin/",  # the Wagtail admin
    "/payments/",  # payment provider callbacks
    # The API repeats the HTML pages as JSON; developers find it through the footer link.
    "/api/",
]
# Pages under each language prefix (/vi/samples/…, /en/samples/…), and their old unprefixed form.
IN_EACH_LANGUAGE = [
    "/samples/",  # sample order forms and /samples/<private token>/ order pages
    "/inquiries/",  # inquiry forms, /inquiries/thread/<token>/ conversations and erase links
    "/meetings/",  # meeting requests and their private confirmation pages
]
DISALLOWED = [
    *UNPREFIXED,
    *IN_EACH_LANGUAGE,
    *(f"/{code}{path}" for code, _name in settings.LANGUAGES for path in IN_EACH_LANGUAGE),
]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    lines.append(f"Sitemap: {public_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class NoIndexPrivatePagesMiddleware:
    """X-Robots-Tag: noindex on every disallowed path.

    robots.txt only stops crawling: a private link pasted somewhere public could still be
    indexed from the link alone, unless the page itself says noindex.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(tuple(DISALLOWED)):
            response.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response
