"""The public pages the HTML-validity and accessibility tests visit, on the demo data `load_demo` brings."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from marketplace.lots.models import Lot

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
# The site speaks Vietnamese by default and English on Accept-Language: en (LocaleMiddleware).
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def load_demo_site():
    call_command("load_demo", verbosity=0)


def main_pages(language="vi"):
    """[(name, path)] for every main public page at its address in `language` (/vi/… or /en/…),
    built from what the demo holds."""
    with translation.override(language):
        return _main_pages()


def _main_pages():
    from catalogue.models import ProductPage
    from marketplace.collections.models import ProductCollectionIndexPage, ProductCollectionPage
    from marketplace.fairs.models import Exhibitor, FairIndexPage, FairPage
    from marketplace.orders.models import SampleOrder

    product = ProductPage.objects.visible().filter(sample_available=True, sample_price_vnd__gt=0).order_by("pk").first()
    exhibitor = next(e for e in Exhibitor.objects.order_by("pk") if e.open_slots())
    order = SampleOrder.objects.order_by("pk").first()
    certification = product.current_certification
    fair = FairPage.objects.live().order_by("-starts_on").first()
    # A query with every kind of filter, so the facets, the active-filter list and the results all render.
    search = (
        f"{reverse('search:search')}?q={product.title.split()[0]}&province={product.province.slug}"
        f"&category={product.category.slug}&stars={product.current_stars}&sort=relevance"
    )
    return [
        ("home", reverse("wagtail_serve", args=[""])),
        ("products", product.get_parent().url),
        ("search", search),
        ("product", product.url),
        ("producer", product.producer.get_absolute_url()),
        ("certification", certification.get_absolute_url()),
        ("verify", reverse("catalogue:verify")),
        ("verify-lookup", f"{reverse('catalogue:verify')}?q={certification.decision_number}"),
        ("fair-index", FairIndexPage.objects.live().first().url),
        ("fair", fair.url),
        ("collection-index", ProductCollectionIndexPage.objects.live().first().url),
        ("collection", ProductCollectionPage.objects.live().order_by("pk").first().url),
        ("inquiry", reverse("inquiries:product", args=[product.pk])),
        ("sourcing", reverse("inquiries:sourcing")),
        ("sample-order", reverse("orders:order", args=[product.pk])),
        ("order", reverse("orders:detail", args=[order.access_token])),
        ("meeting-request", reverse("fairs:meeting-request", args=[exhibitor.pk])),
        ("lot", Lot.objects.order_by("pk").first().get_absolute_url()),
        ("lot-label", reverse("lots:label", args=[Lot.objects.order_by("pk").first().pk])),
    ]


# The forms among main_pages(), sent empty: they come back with their error messages to check too.
FORMS = ("inquiry", "sourcing", "sample-order", "meeting-request")


def fresh_rate_limits():
    # The forms count every submission per IP (django-ratelimit, in the cache): start each tour from zero.
    from django.core.cache import cache

    cache.clear()
