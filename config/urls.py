from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalogue import badge_urls
from catalogue import urls as catalogue_urls
from config import api
from config.health import healthz
from config.robots import robots_txt
from config.sitemaps import sitemap_index, sitemap_section
from config.wagtail_fixes import external_link_chooser
from marketplace.demand import views as demand_views


def favicon(request):
    # Browsers ask for /favicon.ico whatever the page links; send them to the static SVG icon.
    return redirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # For the load balancer and the monitoring: no language prefix, no redirect (config/health.py).
    path("healthz/", healthz, name="healthz"),
    # Ahead of Wagtail's own route of the same path (config/wagtail_fixes.py says why).
    path(
        "admin/choose-external-link/",
        external_link_chooser,
        name="wagtailadmin_choose_page_external_link",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls()),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    # The page-view beacon of product and fair pages: one address for both languages, never cached.
    path("beacon/", demand_views.seen, name="demand-beacon"),
    path("payments/", include("marketplace.orders.payment_urls")),
    # Embedded on producers' own sites: one address per language by ?lang= (catalogue/badges.py).
    path("badges/", include(badge_urls)),
]

# A database or object store that is down answers 503 "try again", not 500 (config/unavailable.py).
handler500 = "config.unavailable.server_error"

if settings.DEBUG:
    # Imported under its own name: as `static` it would replace the template tag's function the
    # favicon view calls, and /favicon.ico would answer 500 on the development server.
    from django.conf.urls.static import static as serve_under

    from config.dev_media import serve_media

    urlpatterns += serve_under(settings.MEDIA_URL, view=serve_media, document_root=settings.MEDIA_ROOT)

# Every page a person reads lives under its language: /vi/… and /en/… (one Wagtail page, one
# search entry, two addresses). An old address without the prefix answers 404 inside and
# config.middleware.LocaleMiddleware redirects it to the visitor's language.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("inquiries/", include("marketplace.inquiries.urls")),
    path("samples/", include("marketplace.orders.urls")),
    path("lots/", include("marketplace.lots.urls")),
    path("", include("marketplace.fairs.urls")),
    path("", include(catalogue_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
