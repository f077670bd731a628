"""The site's Content-Security-Policy, with the one exception the Wagtail admin needs, the
404 for paths that can name nothing, and the language redirect of unprefixed addresses."""

import functools

from csp.middleware import CSPMiddleware

from django.http import Http404, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext

from catalogue.params import MAX_ID, whole_number


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY everywhere; inline scripts allowed in the admin only.

    Wagtail's admin pages carry inline scripts of their own; the public pages carry none,
    so an injected inline script can never run where buyers browse.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(_admin_path()):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts


@functools.cache
def _admin_path():
    """The admin's path as `path_info` reads it (without the script prefix), reversed once per
    process: the URL patterns do not change while it runs."""
    return "/" + reverse("wagtailadmin_home").removeprefix(get_script_prefix()).lstrip("/")


class ImpossiblePathMiddleware:
    """404 for a path that can name nothing: one with a NUL character, or a number longer than any id.

    PostgreSQL refuses NUL in any query, and SQLite (like Wagtail's document route, which
    takes any run of digits) fails on integers past 64 bits, so wherever a view looked such
    a segment up the answer would be a 500. Cookies holding NUL (a quoted cookie can carry
    one as "\\000") are dropped before the session looks its key up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.COOKIES = {name: value for name, value in request.COOKIES.items() if "\x00" not in name + value}
        if "\x00" in request.path or any(_too_long_a_number(segment) for segment in request.path.split("/")):
            return _not_found(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """404 for a number from an `<int:…>` converter past any id, wherever it sits in its segment.

        The segment check above sees only segments that are all digits; a route such as
        `calendar/fairs/<int:page_id>.ics` hands the view `99999999999999999999` from the
        segment `99999999999999999999.ics`. The resolver has converted every value by now.
        """
        if any(type(value) is int and whole_number(value, MAX_ID) is None for value in view_kwargs.values()):
            return _not_found(request)
        return None


def _not_found(request):
    if request.path_info.startswith(reverse("api-v1:api-root")):
        return JsonResponse({"detail": gettext("Not Found")}, status=404)
    raise Http404(gettext("No page has this address."))


def _too_long_a_number(segment):
    return segment.isascii() and segment.isdigit() and whole_number(segment, MAX_ID) is None


# Addresses outside i18n_patterns (config/urls.py): the admin has its own language (each
# user's preference), the API, feeds and callbacks speak to programs, a badge names its
# language by ?lang= (catalogue/badges.py).
UNPREFIXED = ("/admin/", "/api/", "/documents/", "/payments/", "/static/", "/media/", "/badges/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's: the language from the /vi/ or /en/ prefix, and an unprefixed page address
    redirected to the visitor's language (cookie, then Accept-Language, then Vietnamese).

    Wagtail's page route takes any path, so Django would also "redirect" an unknown /api/…
    or /admin/… address to /vi/api/…; those keep their own 404.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
