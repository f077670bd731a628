"""Product pages and the one rule that decides which products the public sees."""

import copy

from django_countries.fields import CountryField

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.search import index

from .. import bilingual, page_tree, structured_data
from ..caching import DETAIL, LISTING, SharedCachePage, shared
from ..choices import ChoiceLabels
from ..countries import country_name
from ..glossary.naming import english_name
from ..page_forms import ProductPageForm
from ..restrictions import PublicPageQuerySet, RestrictionsReadOnce, is_private, public_key
from ..statements import Statement
from .certifications import CERTIFIED_STARS, Certification, current_among, mark_supersession
from .editorial import EnglishIntro
from .members import is_agency, producer_ids_for
from .places import Province
from .producers import Producer
from .taxonomy import Category


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    BOTTLE = "bottle", _("bottle")
    BOX = "box", _("box")
    BAG = "bag", _("bag")
    POT = "pot", _("pot")
    SET = "set", _("set")
    KG = "kg", _("kg")
    TONNE = "tonne", _("tonne")
    LITRE = "litre", _("litre")
    TOUR = "tour", _("tour")


class ProductPageQuerySet(PublicPageQuerySet):
    def with_current_stars(self, on=None):
        """Annotate each product with the stars of its current record (its latest decision, if in force)."""
        return self.annotate(current_stars=Certification.objects.current_value("stars", on))

    def visible(self, on=None):
        """THE visibility rule: published, public, and the current record is 3★ or more.

        Every public surface (pages, listings, producer pages, search, sitemap, API) calls
        this, so a record that expires or is revoked disappears everywhere at once.
        """
        on = on or timezone.localdate()
        return self.live().public().with_current_stars(on).filter(current_stars__gte=CERTIFIED_STARS)


ProductPageManager = PageManager.from_queryset(ProductPageQuerySet)


# What a product card shows of the product's own row (and its address needs): a product page
# row has some sixty columns, and building the SQL costs Python for each.
CARD_FIELDS = ("title", "name_en", "url_path", "category", "province", "producer")


def prefetch_cards(pages):
    """Load, in a few queries for the whole list, what a product card shows: the producer (with
    its measured responsiveness, which the API's items show), the province and the gallery with
    its renditions. A card's stars are the `current_stars` that `visible()` reads with each product."""
    _prefetch_producers(pages)
    _prefetch_provinces(pages)
    _prefetch_galleries(pages)
    return pages


def _prefetch_producers(pages):
    """What `prefetch_related_objects(pages, "producer__responsiveness")` loads, through a
    statement (catalogue.statements): each page's producer unless already loaded, and a loaded
    producer's responsiveness unless it came with it. One producer object per producer, as
    Django's prefetch shares it."""
    producer, replies = ProductPage.producer.field, Producer.responsiveness.related
    missing = [page for page in pages if not producer.is_cached(page) or not replies.is_cached(page.producer)]
    wanted = {page.producer_id for page in missing} - {None}  # a page being written may have none yet
    if not wanted:
        return
    loaded = {found.pk: found for found in _PRODUCERS(sorted(wanted))}
    for page in missing:
        if page.producer_id is None:
            continue
        if not producer.is_cached(page):
            producer.set_cached_value(page, loaded[page.producer_id])
        else:
            # select_related keeps None for a producer without figures: it reads as "new".
            replies.set_cached_value(page.producer, replies.get_cached_value(loaded[page.producer_id]))


def _prefetch_provinces(pages):
    """What `prefetch_related_objects(pages, "province")` loads, through a statement."""
    province = ProductPage.province.field
    missing = [page for page in pages if page.province_id is not None and not province.is_cached(page)]
    if not missing:
        return
    loaded = {found.pk: found for found in _PROVINCES(sorted({page.province_id for page in missing}))}
    for page in missing:
        province.set_cached_value(page, loaded[page.province_id])


def _prefetch_galleries(pages):
    """What `prefetch_related_objects(pages, Prefetch("gallery_images",
    ProductImage.objects.select_related("image")), "gallery_images__image__renditions")` loads
    (the pictures with their images in one query, then their renditions), through statements
    compiled once per process and number of ids (catalogue.statements), and kept where Django's
    prefetch keeps them. A page not saved yet (a preview) keeps its pictures in memory."""
    pages = [page for page in pages if page.pk and "gallery_images" not in _prefetched(page)]
    if not pages:
        return
    pictures = _GALLERIES(list(dict.fromkeys(page.pk for page in pages)))
    renditions = {}
    if pictures:
        for rendition in _RENDITIONS(sorted({picture.image_id for picture in pictures})):
            renditions.setdefault(rendition.image_id, []).append(rendition)
    by_page, shown, used = {}, {page.pk: page for page in pages}, set()
    for picture in pictures:
        picture.page = shown[picture.page_id]  # as each prefetch sets the reverse relation
        by_page.setdefault(picture.page_id, []).append(picture)
        kept = renditions.get(picture.image_id, [])
        if picture.image_id in used:  # an image shown twice: each of its objects has its own
            kept = [copy.copy(rendition) for rendition in kept]
        used.add(picture.image_id)
        for rendition in kept:
            rendition.image = picture.image
        _keep(picture.image, "renditions", picture.image.renditions.get_queryset(), kept)
    for page in pages:
        # The database's rows (Django's own related manager behind modelcluster's), as kept.
        _keep(page, "gallery_images", page.gallery_images.get_live_queryset(), by_page.get(page.pk, []))


def _prefetched(instance):
    return getattr(instance, "_prefetched_objects_cache", {})


def _keep(instance, name, queryset, rows):
    """As Django's prefetch_one_level keeps a relation's rows: the related manager's queryset
    (its filter applied only if it is ever read again) holding them."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def prefetch_records(pages, on=None):
    """Load each product's current record (`current_certification`, which the API shows) for the
    whole list in one query."""
    prefetch_related_objects(
        pages, Prefetch("certifications", queryset=Certification.objects.current(on), to_attr="records_in_force")
    )
    return pages


_CHILD_BY_SLUG = Statement(
    lambda slug, parent: (
        ProductPage.objects.child_of(parent)
        .filter(slug=slug)
        .select_related("producer__province", "producer__responsiveness", "province", "category__parent__parent")[:1]
    )
)


class ProductIndexPage(RestrictionsReadOnce, SharedCachePage, EnglishIntro, Page):
    """/products/: every visible product, newest first."""

    cache_seconds = LISTING

    subpage_types = ["catalogue.ProductPage"]
    parent_page_types = ["catalogue.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("product index page")
        verbose_name_plural = _("product index pages")

    def route(self, request, path_components):
        """A product in one query, with what its page shows of its producer (and how it answers
        buyers), province, category and the category's group (Wagtail's own routing loads the
        child, then its specific page, then each of these), its SQL compiled once per process."""
        if path_components:
            found = _CHILD_BY_SLUG(path_components[0], key=(self.pk, self.path), parent=self)
            product = found[0] if found else None
            if product is not None:
                product._cached_parent_obj = self  # as Wagtail's routing does: no query for the parent
                return product.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        products = (
            ProductPage.objects.visible()
            .select_related("producer__responsiveness", "province", "category")
            .only(*CARD_FIELDS)
            .order_by("-first_published_at")
        )
        page = Paginator(products, 24).get_page(request.GET.get("page"))
        # What the cards show of each product, then their pictures with their images (as HomePage).
        page.object_list = prefetch_cards(list(page.object_list))
        context["products"] = page
        return context


class ProductPage(ChoiceLabels, RestrictionsReadOnce, SharedCachePage, Page):
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    producer = models.ForeignKey(
        "catalogue.Producer", on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
        help_text=_("OCOP sub-group"),
    )
    province = models.ForeignKey(
        "catalogue.Province",
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"era": "current"},
        verbose_name=_("province"),
        help_text=_("Province of origin (current)."),
    )
    description = RichTextField(_("description"), blank=True, help_text=_("In Vietnamese"))
    description_en = RichTextField(_("description (English)"), blank=True)

    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    net_quantity = models.CharField(_("net weight or volume"), max_length=64, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=64, blank=True)
    storage = models.CharField(_("storage conditions"), max_length=255, blank=True)

    moq_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    moq_unit = models.CharField(_("MOQ unit"), max_length=16, choices=Unit.choices, blank=True)
    capacity = models.CharField(
        _("production capacity"), max_length=128, blank=True, help_text=_("e.g. 50.000 chai/năm")
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    price_min_vnd = models.PositiveBigIntegerField(_("indicative price from (VND)"), null=True, blank=True)
    price_max_vnd = models.PositiveBigIntegerField(_("indicative price to (VND)"), null=True, blank=True)
    price_unit = models.CharField(_("price per"), max_length=16, choices=Unit.choices, blank=True)
    sample_available = models.BooleanField(_("samples available"), default=False)
    sample_price_vnd = models.PositiveBigIntegerField(_("sample price (VND)"), null=True, blank=True)
    sample_max_quantity = models.PositiveSmallIntegerField(
        _("samples per order (at most)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How many units one buyer may order as a sample."),
    )

    hs_code = models.CharField(
        _("HS code"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^\d{4}(\.\d{2}){0,2}$", _("Use the HS form 0000, 0000.00 or 0000.00.00."))],
    )
    export_markets = CountryField(
        _("export markets"), multiple=True, blank=True, help_text=_("Countries already served.")
    )

    objects = ProductPageManager()
    # Producers pick only their own producer (catalogue.models.members.producers_for).
    base_form_class = ProductPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("name_en"),
        MultiFieldPanel(
            [FieldPanel("producer"), FieldPanel("category"), FieldPanel("province")],
            heading=_("Origin"),
        ),
        FieldPanel("description"),
        FieldPanel("description_en"),
        InlinePanel("gallery_images", label=_("Images")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("packaging"), FieldPanel("net_quantity")]),
                FieldRowPanel([FieldPanel("shelf_life"), FieldPanel("storage")]),
            ],
            heading=_("Specifications"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("moq_quantity"), FieldPanel("moq_unit")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("lead_time_days")]),
                FieldRowPanel([FieldPanel("price_min_vnd"), FieldPanel("price_max_vnd"), FieldPanel("price_unit")]),
                FieldRowPanel(
                    [FieldPanel("sample_available"), FieldPanel("sample_price_vnd"), FieldPanel("sample_max_quantity")]
                ),
            ],
            heading=_("Commercial terms"),
        ),
        MultiFieldPanel(
            [FieldPanel("hs_code"), FieldPanel("export_markets")],
            heading=_("Export"),
        ),
        InlinePanel("quality_certifications", label=_("Quality certifications")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("name_en"),
        index.SearchField("description"),
        index.FilterField("producer"),
        index.FilterField("category"),
        index.FilterField("province"),
    ]

    parent_page_types = ["catalogue.ProductIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("product page")
        verbose_name_plural = _("product pages")

    def clean(self):
        super().clean()
        errors = {}
        if self.price_min_vnd and self.price_max_vnd and self.price_min_vnd > self.price_max_vnd:
            errors["price_max_vnd"] = gettext("The upper price must not be below the lower one.")
        if self.moq_quantity and not self.moq_unit:
            errors["moq_unit"] = gettext("Say what the minimum order is counted in.")
        if self.sample_price_vnd and not self.sample_available:
            errors["sample_available"] = gettext("Tick this to offer samples at the price given.")
        if errors:
            raise ValidationError(errors)

    def permissions_for_user(self, user):
        """Wagtail's page permissions, narrowed to the user's own producers."""
        return ProductPagePermissionTester(user, self)

    @property
    def localized_name(self):
        """The name a reader in the active language sees: English when English and given, else
        for an English reader the name composed from the glossary (`.from_glossary`), if any."""
        return bilingual.shown(self.title, self.name_en, lambda: self.glossary_name)

    @property
    def glossary_name(self):
        """An indicative English name composed from the Vietnamese title and the OCOP glossary
        ("" when the glossary does not know what the product is). Computed, never stored: it
        follows the glossary and the title, and cached per title (catalogue.glossary.naming)."""
        return english_name(self.title)

    @property
    def english_name(self):
        """The English name a buyer sees: the one a person wrote, else the glossary's."""
        return self.name_en or self.glossary_name

    @property
    def alternate_name(self):
        """The name in the other language, when the product has both (shown as a subtitle); on
        an English page beside a name from the glossary, the Vietnamese name it was composed from."""
        if not self.name_en and self.localized_name.from_glossary:
            return bilingual.Shown(self.title, bilingual.VIETNAMESE)
        return bilingual.other(self.title, self.name_en)

    @property
    def kind_in_english(self):
        """What the product is, from its sub-group, for an English reader shown the Vietnamese
        name because neither a person nor the glossary gave an English one; else ""."""
        if self.localized_name.lang == bilingual.VIETNAMESE and bilingual.in_english():
            return bilingual.Shown(self.category.name_en, bilingual.ENGLISH)
        return bilingual.Shown("", bilingual.ENGLISH)

    @property
    def export_market_names(self):
        """The export markets' names in the active language, in the field's order (by code)."""
        return [country_name(market) for market in self.export_markets]

    @property
    def localized_description(self):
        """The description in the active language, or the one the producer wrote."""
        return bilingual.shown(self.description, self.description_en)

    @property
    def current_certification(self):
        """The latest record in force, whatever its stars."""
        if hasattr(self, "records_in_force"):  # prefetched by prefetch_records()
            return self.records_in_force[0] if self.records_in_force else None
        return self.certifications.current().first()

    def is_visible(self, on=None):
        return ProductPage.objects.visible(on).filter(pk=self.pk).exists()

    @property
    def offers_samples(self):
        """A sample can be ordered (and paid) only when the producer gave its price."""
        return bool(self.sample_available and self.sample_price_vnd)

    @property
    def main_image(self):
        # .all() so listings that prefetch "gallery_images__image" cost no extra query.
        images = self.gallery_images.all()
        return images[0].image if images else None

    def records_with_supersession(self):
        """Every record of this product, latest decision first, each saying whether a later one
        replaced it today: the page's history table, and what its current record is chosen from."""
        # Superseded or not follows from the list itself: no subquery to build.
        records = _RECORDS(self.pk)
        for record in records:
            record.product = self  # as the related manager would: not read again
        return mark_supersession(records)

    def serve(self, request, *args, **kwargs):
        # One query for the history, the current record and whether the product is shown: the
        # rule of visible() applied to this routed row (live), the restrictions this request
        # read once (public) and its records (3★ or more in force), rather than three queries.
        self._history = self.records_with_supersession()
        self._record = current_among(self._history)
        if not (self.live and self._record and self._record.stars >= CERTIFIED_STARS and not is_private(self)):
            # A product whose certificate lapsed answers 410 with a pointer to its public
            # record (so a buyer sees why); one never certified is simply not found.
            if not self._history:
                raise Http404(gettext("No such product"))
            gone = TemplateResponse(request, "catalogue/product_gone.html", {"record": self._history[0]}, status=410)
            return shared(gone, DETAIL)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        others = _OTHERS(self.producer_id, self.pk, key=public_key(today), on=today)
        for other in others:
            other.producer = self.producer  # loaded with this page, its responsiveness too
        # This page's pictures (read by the gallery, the share image and the JSON-LD) load with
        # its other products' cards: one query for them all, not two.
        prefetch_cards([self, *others])
        if not hasattr(self, "_history"):  # serve() read them
            self._history = self.records_with_supersession()
            self._record = current_among(self._history)
        context["record"] = self._record
        context["history"] = self._history
        # A preview shows the certifications being edited, which only the page object holds.
        preview = getattr(request, "is_preview", False)
        context["quality_certifications"] = self.quality_certifications.all() if preview else _QUALITY(self.pk)
        context["other_products"] = others
        record = context["record"]
        context["structured_data"], context["meta_image"] = structured_data.product_page(self, record, request)
        name = self.localized_name
        # The SEO fields are written in Vietnamese: an English page names the product in English.
        in_english = name.lang == bilingual.ENGLISH
        context["meta_title"] = name if in_english else (self.seo_title or name)
        if self.search_description and not in_english:
            context["meta_description"] = self.search_description
        elif record:
            context["meta_description"] = _("%(product)s – %(producer)s, %(province)s. OCOP %(stars)s★.") % {
                "product": name,
                "producer": self.producer.name,
                "province": self.province.name,
                "stars": record.stars,
            }
        return context


# The product page's own queries, compiled once per process (catalogue.statements): its records
# and, on cards, up to four other visible products of its producer.
_RECORDS = Statement(lambda product: Certification.objects.filter(product=product).order_by("-signed_on", "-pk"))
# Cards (prefetch_cards): their producers and provinces, the pages' pictures with their images,
# then their renditions.
_GALLERIES = Statement(lambda pages: ProductImage.objects.filter(page__in=pages).select_related("image"))
_RENDITIONS = Statement(lambda images: get_image_model().get_rendition_model().objects.filter(image__in=images))
_PRODUCERS = Statement(lambda ids: Producer.objects.filter(pk__in=ids).select_related("responsiveness"))
_PROVINCES = Statement(lambda ids: Province.objects.filter(pk__in=ids))
_QUALITY = Statement(lambda product: QualityCertification.objects.filter(page=product))
_OTHERS = Statement(
    lambda producer, product, on: (
        ProductPage.objects.visible(on)
        .filter(producer=producer)
        .exclude(pk=product)
        .select_related("province")
        .only(*CARD_FIELDS)[:4]
    )
)


class ProductImage(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    @property
    def alt_text(self):
        """The picture's alt in the page's language: producers write captions in Vietnamese, so an
        English page names the product in English instead."""
        if self.caption and not bilingual.in_english():
            return self.caption
        return self.page.localized_name


class QualityCertification(ChoiceLabels, Orderable):
    """Certifications beyond OCOP that foreign buyers ask for (HACCP, ISO 22000, VietGAP …)."""

    class Scheme(models.TextChoices):
        ISO_22000 = "iso-22000", "ISO 22000"
        HACCP = "haccp", "HACCP"
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalG.A.P."
        ORGANIC = "organic", _("Organic")
        ISO_9001 = "iso-9001", "ISO 9001"
        FDA = "fda", _("US FDA registration")
        HALAL = "halal", "Halal"

    class HeldBy(models.TextChoices):
        PRODUCT = "product", _("This product")
        PRODUCER = "producer", _("The producer (facility)")

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="quality_certifications")
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    held_by = models.CharField(_("held by"), max_length=8, choices=HeldBy.choices, default=HeldBy.PRODUCT)

    panels = [
        FieldRowPanel([FieldPanel("scheme"), FieldPanel("held_by")]),
        FieldRowPanel([FieldPanel("issuer"), FieldPanel("expires_on")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quality certification")
        verbose_name_plural = _("quality certifications")

    def __str__(self):
        return self.get_scheme_display()

    @property
    def is_current(self):
        return self.expires_on is None or self.expires_on > timezone.localdate()


# The home page's best-rated products: shown, and read as candidates for when some drop out.
HOME_FEATURED = 8
HOME_CANDIDATES = 16
HOME_LISTS_KEY = "catalogue:home-featured-and-count"
HOME_LISTS_SECONDS = 60
HOME_NEWEST = 8


def _home_cards(on):
    """What a home page card shows of each visible product: its own columns, its producer (with
    its responsiveness), province and category in the same query."""
    return (
        ProductPage.objects.visible(on)
        .select_related("producer__responsiveness", "province", "category")
        .only(*CARD_FIELDS)
    )


# Both lists compiled once per process (catalogue.statements), kept like _OTHERS under the day
# and the private sections; the featured ones by the number of candidates' ids.
_FEATURED = Statement(lambda ids, on: _home_cards(on).filter(pk__in=ids))
_NEWEST = Statement(lambda on: _home_cards(on).order_by("-first_published_at")[:HOME_NEWEST])


@receiver([post_save, post_delete], sender=Certification)
@receiver([post_save, post_delete], sender=ProductPage)
def _home_lists_changed(sender, **kwargs):
    """A record or product saved or deleted (a publish saves the page): the home page's lists
    are read again. What no signal announces (a record expiring at midnight) waits at most
    HOME_LISTS_SECONDS, and a product that stops being visible leaves the list at once anyway."""
    page_tree.now_and_at_commit(_drop_home_lists)


def _drop_home_lists():
    cache.delete(HOME_LISTS_KEY)


class HomePage(RestrictionsReadOnce, SharedCachePage, Page):
    """The site root: search first, then featured products, groups and provinces."""

    cache_seconds = LISTING

    headline = models.CharField(
        _("headline"), max_length=255, default="Certified OCOP products from every province of Vietnam"
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    subpage_types = ["catalogue.ProductIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """The page below this one (/products/, /fairs/ …) as this process last read it
        (catalogue.page_tree): Wagtail's routing reads it and then its own type every time."""
        if path_components:
            below = page_tree.child(self, path_components[0])
            if below is not None:
                return below.route(request, path_components[1:])
        return super().route(request, path_components)

    @staticmethod
    def _featured_and_count(on, key):
        """The eight best-rated, newest visible products and how many are visible.

        Ranking every visible product by its current stars and counting them read the whole
        catalogue: 180 and 56 ms at 20,000 products on PostgreSQL, most of an uncached home
        page. Both are kept in the shared cache for HOME_LISTS_SECONDS, as the candidates' ids
        (a few more than shown) and the count; every render still asks which candidates are
        visible now, so a product revoked or unpublished leaves the list at once; a record or
        product saved drops them (`_home_lists_changed`), so a product newly rated 5★ joins at
        once too; what no signal announces waits at most HOME_LISTS_SECONDS.
        """
        held = cache.get(HOME_LISTS_KEY)
        if held is not None:
            ids, count = held
            found = {page.pk: page for page in _FEATURED(list(ids), key=key, on=on)} if ids else {}
            featured = [found[pk] for pk in ids if pk in found][:HOME_FEATURED]
            if len(featured) == min(HOME_FEATURED, len(ids)):
                return featured, count
        visible = _home_cards(on)
        candidates = list(visible.order_by("-current_stars", "-first_published_at")[:HOME_CANDIDATES])
        count = visible.count()
        cache.set(HOME_LISTS_KEY, ([page.pk for page in candidates], count), HOME_LISTS_SECONDS)
        return candidates[:HOME_FEATURED], count

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each list's cards in one query (_home_cards), then both lists' pictures together: two
        # queries, where each list read its pictures, images and renditions in three of its own.
        today = timezone.localdate()
        key = public_key(today)
        featured, context["product_count"] = self._featured_and_count(today, key)
        newest = _NEWEST(key=key, on=today)
        prefetch_cards([*featured, *newest])
        context["featured"], context["newest"] = featured, newest
        context["groups"] = Category.objects.groups()
        context["structured_data"] = structured_data.home_page(self, context["featured"], request)
        return context


def can_manage_page(user, page):
    """False for a product page of someone else's producer; other pages follow Wagtail's own rules."""
    if is_agency(user) or page.specific_class is not ProductPage:
        return True
    producer_id = getattr(page, "producer_id", None)
    if producer_id is None:
        producer_id = ProductPage.objects.filter(pk=page.pk).values_list("producer_id", flat=True).first()
    return producer_id in producer_ids_for(user)


class ProductPagePermissionTester(PagePermissionTester):
    """Page permissions for one product page: none at all on another producer's page."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.in_scope = can_manage_page(user, page)
        if not self.in_scope:
            self.permissions = set()

    def can_submit_for_moderation(self):
        return self.in_scope and super().can_submit_for_moderation()

    def can_view_revisions(self):
        return self.in_scope and super().can_view_revisions()

    def can_set_view_restrictions(self):
        return self.in_scope and super().can_set_view_restrictions()
