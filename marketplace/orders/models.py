"""Sample orders: what a buyer ordered and owes, each state it went through, the Stripe events
that touched it, and the outbox of emails each step sends."""

from decimal import Decimal

from django_countries.fields import CountryField

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from catalogue import bilingual

from ..outbox.models import OutboxEmail
from ..pipeline.private import new_token
from ..pipeline.retention import PersonalData, cutoff


class ShippingZone(models.Model):
    """An international shipping zone the agency sets: the countries in it and the fee per order.

    A zone with no countries is the rest of the world; a country in no zone and with no such
    zone cannot order samples.
    """

    name = models.CharField(_("name"), max_length=100)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    fee_vnd = models.PositiveBigIntegerField(_("shipping fee (VND)"))

    panels = [FieldPanel("name"), FieldPanel("countries"), FieldPanel("fee_vnd")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")

    def __str__(self):
        return self.name

    @classmethod
    def for_country(cls, country):
        zones = list(cls.objects.all())
        for zone in zones:
            if country in [c.code for c in zone.countries]:
                return zone
        return next((zone for zone in zones if not zone.countries), None)


@register_setting(icon="pick")
class SampleOrderSettings(BaseGenericSetting):
    """What the agency decides about sample orders (Settings → Sample orders)."""

    bank_name = models.CharField(_("bank"), max_length=100, default="Vietcombank")
    bank_bin = models.CharField(
        _("bank BIN (NAPAS)"),
        max_length=6,
        default="970436",
        validators=[RegexValidator(r"^\d{6}$", _("Six digits, e.g. 970436 for Vietcombank."))],
        help_text=_("The bank's six-digit NAPAS identifier, which VietQR carries."),
    )
    account_number = models.CharField(
        _("account number"),
        max_length=19,
        default="0011001234567",
        validators=[RegexValidator(r"^[0-9A-Za-z]{1,19}$", _("Letters and digits only, at most 19."))],
    )
    account_name = models.CharField(_("account holder"), max_length=100, default="TRUNG TAM XUC TIEN THUONG MAI")
    domestic_fee_vnd = models.PositiveBigIntegerField(_("domestic shipping fee (VND)"), default=35000)
    usd_rate = models.DecimalField(
        _("VND per US dollar"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("25400"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("The rate foreign buyers paying in USD are charged at; each order keeps the rate it used."),
    )
    expiry_hours = models.PositiveSmallIntegerField(
        _("unpaid orders expire after (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bank_name"),
                FieldRowPanel([FieldPanel("bank_bin"), FieldPanel("account_number")]),
                FieldPanel("account_name"),
            ],
            heading=_("Bank account for transfers (VietQR)"),
        ),
        FieldPanel("domestic_fee_vnd"),
        FieldPanel("usd_rate"),
        FieldPanel("expiry_hours"),
    ]

    class Meta:
        verbose_name = _("Sample orders")


class OrderState(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired")


# States an order never leaves: its personal data may be erased once the retention period has run.
CLOSED_STATES = (OrderState.DELIVERED, OrderState.CANCELLED, OrderState.REFUNDED, OrderState.EXPIRED)


class SampleOrderQuerySet(models.QuerySet):
    def due_to_expire(self, now=None):
        return self.filter(state=OrderState.PENDING, expires_at__lte=now or timezone.now())

    def due_for_erasure(self, months, now=None):
        """Orders closed (delivered, cancelled, refunded, expired) and untouched for the retention period."""
        return self.filter(state__in=CLOSED_STATES, updated_at__lt=cutoff(months, now), erased_at__isnull=True)


class SampleOrder(PersonalData):
    # Erased: who the buyer is and where they live. Kept, for the agency's accounts (the Law on
    # Accounting 88/2015/QH13 keeps payment records ten years): the product, quantity, amounts,
    # currency and rate, how it was paid with Stripe's ids, the country and province, the dates
    # and every step taken.
    personal_fields = ("name", "company", "email", "phone", "address_line", "commune", "city", "postal_code")

    class PaymentMethod(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer (VietQR)")
        CARD = "card", _("Card (Stripe)")

    class Currency(models.TextChoices):
        VND = "VND", _("VND – Vietnamese đồng")
        USD = "USD", _("USD – US dollar")

    state = models.CharField(_("state"), max_length=10, choices=OrderState.choices, default=OrderState.PENDING)
    product = models.ForeignKey(
        "catalogue.ProductPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="sample_orders",
        verbose_name=_("product"),
    )
    product_title = models.CharField(_("product"), max_length=255)
    producer = models.ForeignKey(
        "catalogue.Producer", on_delete=models.PROTECT, related_name="sample_orders", verbose_name=_("producer")
    )

    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # Whole đồng everywhere: VND has no minor unit.
    unit_price_vnd = models.PositiveBigIntegerField(_("sample price (VND)"))
    shipping_fee_vnd = models.PositiveBigIntegerField(_("shipping fee (VND)"))
    shipping_zone = models.CharField(_("shipping zone"), max_length=100)
    total_vnd = models.PositiveBigIntegerField(_("total (VND)"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    usd_rate = models.DecimalField(_("VND per US dollar"), max_digits=10, decimal_places=2, null=True, blank=True)
    total_usd_cents = models.PositiveBigIntegerField(_("total (US cents)"), null=True, blank=True)
    payment_method = models.CharField(_("paid by"), max_length=16, choices=PaymentMethod.choices, blank=True)

    # The buyer (Decree 13/2023/NĐ-CP: kept for the order, its delivery and the accounts).
    name = models.CharField(_("name"), max_length=128)
    company = models.CharField(_("company"), max_length=255, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32)
    language = models.CharField(_("language"), max_length=8, default="vi")
    consent_at = models.DateTimeField(_("consent given at"))

    country = CountryField(_("country"))
    province = models.ForeignKey(
        "catalogue.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province or city"),
    )
    commune = models.CharField(_("commune or ward"), max_length=128, blank=True)
    city = models.CharField(_("city"), max_length=128, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    address_line = models.CharField(_("street address"), max_length=255)

    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)

    stripe_session_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, verbose_name=_("Stripe session")
    )
    stripe_session_url = models.URLField(max_length=1000, blank=True, verbose_name=_("Stripe checkout link"))
    stripe_payment_intent = models.CharField(max_length=255, blank=True, verbose_name=_("Stripe payment intent"))
    stripe_refund_id = models.CharField(max_length=255, blank=True, verbose_name=_("Stripe refund"))

    form_token = models.UUIDField(unique=True, editable=False, verbose_name=_("form token"))
    access_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False, verbose_name=_("access token")
    )
    created_at = models.DateTimeField(_("ordered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    expires_at = models.DateTimeField(_("expires if unpaid"))

    objects = SampleOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sample order")
        verbose_name_plural = _("sample orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total_vnd=models.F("unit_price_vnd") * models.F("quantity") + models.F("shipping_fee_vnd")
                ),
                name="sample_order_total_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.product_title}"

    def on_erase(self, now):
        self.access_token = new_token()  # the old private link stops working

    @property
    def localized_product_title(self):
        """The product as a reader in the active language knows it: its English name for an English
        reader (the name the buyer saw on an English page), the name kept with the order otherwise."""
        product = self.product
        return bilingual.shown(
            self.product_title, product.name_en if product else "", lambda: product.glossary_name if product else ""
        )

    @property
    def reference(self):
        """SMP-2026-000123: what the buyer writes in the transfer and quotes back."""
        return f"SMP-{timezone.localtime(self.created_at):%Y}-{self.pk or 0:06d}"

    @property
    def transfer_reference(self):
        # Bank apps keep letters and digits in the transfer note; hyphens are sometimes dropped.
        return self.reference.replace("-", "")

    @property
    def is_domestic(self):
        return self.country == "VN"

    @property
    def total_usd(self):
        return None if self.total_usd_cents is None else Decimal(self.total_usd_cents) / 100

    @property
    def shipping_address(self):
        parts = [self.address_line, self.commune, self.province.name if self.province_id else ""]
        if not self.is_domestic:
            parts += [f"{self.postal_code} {self.city}".strip()]
        parts.append(str(self.country.name))
        return ", ".join(p for p in parts if p)


class OrderTransition(models.Model):
    """One step of an order, who took it and when. An order enters each state at most once."""

    order = models.ForeignKey(
        SampleOrder, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("sample order")
    )
    from_state = models.CharField(max_length=10, choices=OrderState.choices, verbose_name=_("from state"))
    to_state = models.CharField(max_length=10, choices=OrderState.choices, verbose_name=_("to state"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(
        max_length=64,
        help_text=_("Who acted: a person's name, “Stripe” or “scheduled expiry”."),
        verbose_name=_("actor"),
    )
    note = models.CharField(max_length=500, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")
        ordering = ["at", "pk"]
        constraints = [
            # The database's own guarantee that an order is paid (or shipped …) once, whatever races.
            models.UniqueConstraint(fields=["order", "to_state"], name="order_enters_each_state_once"),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.from_state} → {self.to_state}"


class StripeEvent(models.Model):
    """Every verified webhook event once: a replay finds its id here and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True, verbose_name=_("event ID"))
    type = models.CharField(max_length=100, verbose_name=_("type"))
    session_id = models.CharField(max_length=255, blank=True, verbose_name=_("session ID"))
    order = models.ForeignKey(
        SampleOrder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stripe_events",
        verbose_name=_("sample order"),
    )
    outcome = models.CharField(max_length=255, blank=True, verbose_name=_("outcome"))
    received_at = models.DateTimeField(default=timezone.now, verbose_name=_("received at"))

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class OrderNotification(OutboxEmail):
    """An outbox row, like the inquiries': one email to one recipient about one step of an order."""

    class Audience(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        PRODUCER = "producer", _("Producer")
        AGENCY = "agency", _("Agency")

    order = models.ForeignKey(
        SampleOrder, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("sample order")
    )
    event = models.CharField(max_length=20, verbose_name=_("event"))
    audience = models.CharField(max_length=10, choices=Audience.choices, verbose_name=_("audience"))

    class Meta(OutboxEmail.Meta):
        verbose_name = _("order email")
        verbose_name_plural = _("order emails")

    def __str__(self):
        return f"{self.order_id} {self.event} → {self.recipient}"
