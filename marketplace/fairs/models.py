"""Trade fairs: the fair pages, their zones, who exhibits where, and buyers' meeting requests."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django_countries.fields import CountryField

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager

from catalogue.caching import LISTING, SharedCachePage
from catalogue.models import CARD_FIELDS, EnglishIntro, EnglishTitle, ProductPage, Province, localized, prefetch_cards
from catalogue.restrictions import PublicPageQuerySet, RestrictionsReadOnce, public_key
from catalogue.statements import Statement

from ..outbox.models import OutboxEmail
from ..pipeline import follow_up
from ..pipeline.follow_up import FollowUpStep
from ..pipeline.private import new_token
from ..pipeline.retention import PersonalData, cutoff
from .listing import fair_listing
from .structured_data import fair_page

# Fairs happen in Vietnam: their hours and every meeting slot are Vietnam time, whatever the server says.
FAIR_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class FairIndexPage(RestrictionsReadOnce, SharedCachePage, EnglishIntro, Page):
    """/fairs/: upcoming and past fairs, filterable by province and month."""

    cache_seconds = LISTING

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["marketplace.FairPage"]
    max_count = 1

    class Meta:
        verbose_name = _("fair index")

    def route(self, request, path_components):
        """A fair in one query with its province (Wagtail's own routing loads the child, then its
        specific page, then the province its JSON-LD names), its SQL compiled once per process."""
        if path_components:
            found = _FAIR_BY_SLUG(path_components[0], key=(self.pk, self.path), parent=self)
            fair = found[0] if found else None
            if fair is not None:
                fair._cached_parent_obj = self  # as Wagtail's routing does: no query for the parent
                return fair.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(fair_listing(FairPage.objects.child_of(self), request.GET))
        return context


class FairPage(RestrictionsReadOnce, SharedCachePage, EnglishTitle, Page):
    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0), help_text=_("Each day, Vietnam time."))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(17, 0))
    attendance = models.CharField(
        _("in person or online"), max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"era": "current"},
        verbose_name=_("province"),
    )
    livestream_url = models.URLField(_("livestream link"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=255)
    description = RichTextField(_("description"), blank=True)
    description_en = RichTextField(_("English description"), blank=True)
    meeting_slot_minutes = models.PositiveSmallIntegerField(
        _("meeting slot (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
        help_text=_("Buyers book meetings with exhibitors in slots of this length within the opening hours."),
    )
    meetings_open = models.BooleanField(_("buyers may request meetings"), default=True)
    applications_open = models.BooleanField(_("producers may apply to exhibit"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Dates and opening hours"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("attendance"),
                FieldPanel("venue"),
                FieldPanel("venue_address"),
                FieldPanel("province"),
                FieldPanel("livestream_url"),
            ],
            heading=_("Where"),
        ),
        InlinePanel("livestreams", label=_("Livestreams")),
        FieldPanel("organiser"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        InlinePanel("zones", label=_("Zones")),
        InlinePanel("featured_products", label=_("Featured products")),
        MultiFieldPanel(
            [FieldPanel("applications_open"), FieldPanel("meetings_open"), FieldPanel("meeting_slot_minutes")],
            heading=_("Exhibitors and meetings"),
        ),
    ]

    # `.public()` reads the private sections once per request (fair_appearances on every product page).
    objects = PageManager.from_queryset(PublicPageQuerySet)()

    parent_page_types = ["marketplace.FairIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")

    @property
    def localized_description(self):
        return localized(self.description, self.description_en)

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day must not be before the first day.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The fair must close after it opens.")
        if self.attendance != self.Attendance.IN_PERSON and not self.livestream_url:
            errors["livestream_url"] = _("An online fair needs its livestream link.")
        if self.attendance != self.Attendance.ONLINE and not self.venue:
            errors["venue"] = _("Say where the fair takes place.")
        if errors:
            raise ValidationError(errors)

    # When things happen, in Vietnam time.
    def local(self, day, time):
        return datetime.datetime.combine(day, time, tzinfo=FAIR_TZ)

    @property
    def days(self):
        return [self.starts_on + datetime.timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def starts_at(self):
        return self.local(self.starts_on, self.opens_at)

    @property
    def ends_at(self):
        return self.local(self.ends_on, self.closes_at)

    def is_upcoming(self, today=None):
        return self.ends_on >= (today or timezone.localdate())

    def slots(self):
        """Every meeting slot of the fair: (start, end), each day from opening to closing time."""
        step = datetime.timedelta(minutes=self.meeting_slot_minutes or 30)
        found = []
        for day in self.days:
            start, close = self.local(day, self.opens_at), self.local(day, self.closes_at)
            while start + step <= close:
                found.append((start, start + step))
                start += step
        return found

    def visible_exhibitors(self, on=None):
        """Accepted exhibitors with the products they show that are visible on `on` (default
        today), by title; those with none are left out."""
        on = on or timezone.localdate()
        exhibitors = _EXHIBITORS(self.pk)
        shown = {}
        if exhibitors:
            for product in _EXHIBITED([e.pk for e in exhibitors], key=public_key(on), on=on):
                shown.setdefault(product.shown_by, []).append(product)
        for exhibitor in exhibitors:
            exhibitor.visible_products = shown.get(exhibitor.pk, [])
        return [e for e in exhibitors if e.visible_products]

    def visible_featured_products(self, on=None, preview=False):
        """The featured products visible on `on` (default today), in the editor's order; a
        preview's are those being edited, which only the page object holds."""
        on = on or timezone.localdate()
        ids = [item.product_id for item in self.featured_products.all()] if preview else _FEATURED_IDS(self.pk)
        if not ids:
            return []
        by_id = {p.pk: p for p in _FEATURED_CARDS(list(dict.fromkeys(ids)), key=public_key(on), on=on)}
        return [by_id[i] for i in ids if i in by_id]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        preview = getattr(request, "is_preview", False)
        exhibitors = self.visible_exhibitors(today)
        featured = self.visible_featured_products(today, preview=preview)
        # Only the featured products are cards (pictures, producer, province); an exhibitor's
        # products are links, which need nothing more than their own row.
        prefetch_cards(featured)
        zones = []
        for zone in self.zones.all() if preview else _ZONES(self.pk):
            zones.append((zone, [e for e in exhibitors if e.zone_id == zone.pk]))
        unzoned = [e for e in exhibitors if e.zone_id is None]
        livestreams = self.livestreams.all() if preview else _LIVESTREAMS(self.pk)
        for stream in livestreams:
            stream.page = self  # as the relation would: a stream's link falls back on the fair's
        context.update(
            exhibitors=exhibitors,
            zones=zones,
            unzoned=unzoned,
            featured=featured,
            structured_data=fair_page(self, featured, request),
            livestreams=livestreams,
            upcoming=self.is_upcoming(today),
            meetings_possible=self.meetings_open and self.is_upcoming(today),
        )
        return context


class FairLivestream(Orderable):
    page = ParentalKey(FairPage, on_delete=models.CASCADE, related_name="livestreams", verbose_name=_("page"))
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    url = models.URLField(_("link"), blank=True, help_text=_("If it differs from the fair's livestream link."))

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("url")]

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A livestream must end after it starts.")})

    def __str__(self):
        return self.title

    @property
    def link(self):
        return self.url or self.page.livestream_url


class FairZone(Orderable):
    class Kind(models.TextChoices):
        FIVE_STAR = "five_star", _("5★ products")
        NEW_PRODUCTS = "new_products", _("New products")
        REGIONAL = "regional", _("Region or province")
        MATCHING = "matching", _("Supply-demand matching")
        OTHER = "other", _("Other")

    page = ParentalKey(FairPage, on_delete=models.CASCADE, related_name="zones", verbose_name=_("page"))
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGIONAL)
    description = models.CharField(_("description"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    description_en = models.CharField(_("English description"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("name_en"), FieldPanel("description_en")]),
    ]

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return localized(self.name, self.name_en)

    @property
    def localized_description(self):
        return localized(self.description, self.description_en)


class FairFeaturedProduct(Orderable):
    page = ParentalKey(FairPage, on_delete=models.CASCADE, related_name="featured_products", verbose_name=_("page"))
    product = models.ForeignKey(ProductPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("product"))

    panels = [FieldPanel("product")]


class ExhibitorQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Exhibitor.Status.ACCEPTED)

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(fair__ends_on__gte=today, fair__live=True)


class Exhibitor(models.Model):
    """A producer's application to exhibit at a fair; once accepted, its place (zone and booth)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    fair = models.ForeignKey(FairPage, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("fair"))
    producer = models.ForeignKey(
        "catalogue.Producer", on_delete=models.CASCADE, related_name="fair_exhibits", verbose_name=_("producer")
    )
    products = models.ManyToManyField(
        ProductPage, related_name="fair_exhibits", blank=True, verbose_name=_("products shown")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    message = models.TextField(_("message to the agency"), blank=True)
    zone = models.ForeignKey(
        FairZone, null=True, blank=True, on_delete=models.SET_NULL, related_name="exhibitors", verbose_name=_("zone")
    )
    booth = models.CharField(_("booth"), max_length=16, blank=True)
    note = models.TextField(_("agency's note"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied"), default=timezone.now)

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        constraints = [
            models.UniqueConstraint(fields=["fair", "producer"], name="fair_exhibitor_once"),
            # Two producers in one booth is a real-world clash: the database refuses it, whatever the form says.
            models.UniqueConstraint(fields=["fair", "booth"], condition=~Q(booth=""), name="fair_booth_once"),
        ]

    def __str__(self):
        return f"{self.producer} @ {self.fair}"

    def has_visible_products(self):
        return ProductPage.objects.visible().filter(fair_exhibits=self).exists()

    def open_slots(self, now=None):
        """The fair's slots not yet booked with this exhibitor (requested or accepted) and not past."""
        now = now or timezone.now()
        # Overlap, not equal starts: a request made before the agency changed the slot length still holds its time.
        held = list(self.meetings.holding_slot().values_list("starts_at", "ends_at"))
        return [
            (start, end)
            for start, end in self.fair.slots()
            if start > now and not any(start < held_end and held_start < end for held_start, held_end in held)
        ]


class MeetingQuerySet(models.QuerySet):
    def holding_slot(self):
        return self.filter(status__in=MeetingRequest.HOLDING)

    def due_for_erasure(self, months, now=None):
        """Requests of fairs that ended more than `months` ago (the inquiries' retention period)."""
        ended_before = timezone.localdate(cutoff(months, now))
        return self.filter(exhibitor__fair__ends_on__lt=ended_before, erased_at__isnull=True)


class MeetingRequest(PersonalData):
    """A buyer asks to meet an exhibitor in one slot of the fair; the producer accepts or declines."""

    personal_fields = ("name", "company", "email", "phone", "message")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.REQUESTED, Status.ACCEPTED)

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("exhibitor")
    )
    starts_at = models.DateTimeField(_("slot starts"))
    ends_at = models.DateTimeField(_("slot ends"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)

    # The buyer's personal data (Decree 13/2023/NĐ-CP), seen only by the exhibitor and the agency.
    name = models.CharField(_("name"), max_length=128)
    company = models.CharField(_("company"), max_length=255, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    country = CountryField(_("country"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    message = models.TextField(_("what you would like to discuss"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    form_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False, verbose_name=_("form token"))
    # The key of the buyer's private pages (sent, erase): random, never the form token the form page showed.
    access_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False, verbose_name=_("access token")
    )

    producer_note = models.TextField(_("producer's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The agency accepted or declined for the exhibitor (an escalated request): the buyer is told so.
    answered_by_agency = models.BooleanField(_("answered by the agency on the exhibitor's behalf"), default=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    # Unanswered for four working days: the agency follows up until it is answered or reassigned.
    escalated_at = models.DateTimeField(_("escalated to the agency"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            # Two buyers racing for one slot: the second insert fails here, not in a form check.
            models.UniqueConstraint(
                fields=["exhibitor", "starts_at"],
                condition=Q(status__in=["requested", "accepted"]),
                name="meeting_slot_once",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.exhibitor}"

    @property
    def reference(self):
        return f"MTG-{timezone.localtime(self.created_at):%Y}-{self.pk or 0:06d}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, FAIR_TZ)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, FAIR_TZ)

    def on_erase(self, now):
        if self.status in self.HOLDING and self.starts_at > now:  # the buyer withdraws: the slot opens again
            self.status = self.Status.CANCELLED


class MeetingFollowUp(FollowUpStep):
    """One step of the reply-time promise on a meeting request (pipeline/follow_up.py): the job's
    steps are unique per wait (`waiting_since`: received, or last reassigned)."""

    class Step(models.TextChoices):
        REMINDED = follow_up.REMINDED, _("Reminder sent to the exhibitor")
        ESCALATED = follow_up.ESCALATED, _("Escalated to the agency")
        AGENCY_ANSWERED = "agency_answered", _("The agency answered on the exhibitor's behalf")
        REASSIGNED = "reassigned", _("Reassigned by the agency")

    meeting = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)

    class Meta(FollowUpStep.Meta):
        verbose_name = _("meeting follow-up")
        verbose_name_plural = _("meeting follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "step", "waiting_since"],
                condition=models.Q(step__in=follow_up.JOB_STEPS),
                name="meeting_follow_up_once",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} {self.meeting_id}"


class MeetingNotification(OutboxEmail):
    """The outbox of meeting emails, as for inquiries: written with the event, marked sent with the attempt."""

    class Kind(models.TextChoices):
        BUYER_ACK = "buyer_ack", _("Request received, to the buyer")
        PRODUCER_NEW = "producer_new", _("New meeting request, to the producer")
        BUYER_ACCEPTED = "buyer_accepted", _("Accepted, to the buyer")
        PRODUCER_ACCEPTED = "producer_accepted", _("Accepted, to the producer")
        BUYER_DECLINED = "buyer_declined", _("Declined, to the buyer")
        PRODUCER_REMINDER = "producer_reminder", _("Reminder, to the exhibitor")
        AGENCY_ESCALATION = "agency_escalation", _("Escalation, to the agency")
        BUYER_REASSIGNED = "buyer_reassigned", _("Passed to another exhibitor, to the buyer")

    meeting = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("meeting")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))

    class Meta(OutboxEmail.Meta):
        verbose_name = _("meeting email")
        verbose_name_plural = _("meeting emails")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


# A fair page's queries, compiled once per process (catalogue.statements): the fair by its slug,
# its zones, livestreams and accepted exhibitors, the products they show and the featured ones,
# the last two kept, as every list of visible products is, under the day and the private sections.
_FAIR_BY_SLUG = Statement(
    lambda slug, parent: FairPage.objects.child_of(parent).filter(slug=slug).select_related("province")[:1]
)
_ZONES = Statement(lambda fair: FairZone.objects.filter(page=fair))
_LIVESTREAMS = Statement(lambda fair: FairLivestream.objects.filter(page=fair))
_EXHIBITORS = Statement(
    lambda fair: (
        Exhibitor.objects.accepted()
        .filter(fair=fair)
        .select_related("producer__province", "zone")  # the exhibitor list names each province
        .order_by("zone__sort_order", "booth", "producer__name")
    )
)
# Each row a product and the exhibitor showing it (`shown_by`): the filter's join, read again.
_EXHIBITED = Statement(
    lambda exhibitors, on: (
        ProductPage.objects.visible(on)
        .filter(fair_exhibits__in=exhibitors)
        .annotate(shown_by=F("fair_exhibits"))
        .only(*CARD_FIELDS)
        .order_by("title", "pk")
    )
)
_FEATURED_IDS = Statement(
    lambda fair: (
        FairFeaturedProduct.objects.filter(page=fair).order_by("sort_order").values_list("product_id", flat=True)
    )
)
_FEATURED_CARDS = Statement(lambda ids, on: ProductPage.objects.visible(on).filter(pk__in=ids).only(*CARD_FIELDS))
