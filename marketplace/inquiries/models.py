"""Inquiries, their conversation, and the outbox of emails each one sends."""

import uuid

from django_countries.fields import CountryField

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from catalogue import bilingual

from ..outbox.models import OutboxEmail
from ..pipeline import follow_up
from ..pipeline.follow_up import FollowUpStep
from ..pipeline.private import new_token
from ..pipeline.retention import PersonalData, cutoff


class Incoterm(models.TextChoices):
    """The eleven Incoterms 2020 rules: seven for any transport, four for sea and inland waterway."""

    EXW = "EXW", _("EXW – Ex Works")
    FCA = "FCA", _("FCA – Free Carrier")
    CPT = "CPT", _("CPT – Carriage Paid To")
    CIP = "CIP", _("CIP – Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP – Delivered at Place")
    DPU = "DPU", _("DPU – Delivered at Place Unloaded")
    DDP = "DDP", _("DDP – Delivered Duty Paid")
    FAS = "FAS", _("FAS – Free Alongside Ship")
    FOB = "FOB", _("FOB – Free On Board")
    CFR = "CFR", _("CFR – Cost and Freight")
    CIF = "CIF", _("CIF – Cost, Insurance and Freight")


class Currency(models.TextChoices):
    VND = "VND", _("VND – Vietnamese đồng")
    USD = "USD", _("USD – US dollar")
    EUR = "EUR", _("EUR – Euro")
    JPY = "JPY", _("JPY – Japanese yen")
    CNY = "CNY", _("CNY – Chinese yuan")
    KRW = "KRW", _("KRW – South Korean won")
    SGD = "SGD", _("SGD – Singapore dollar")
    THB = "THB", _("THB – Thai baht")
    AUD = "AUD", _("AUD – Australian dollar")
    GBP = "GBP", _("GBP – Pound sterling")


# The name historical migrations import; the key itself is the pipeline's.
new_thread_token = new_token


class InquiryQuerySet(models.QuerySet):
    def addressed_to(self, producer_ids):
        return self.filter(recipients__in=producer_ids).distinct()

    def awaiting_routing(self):
        return self.filter(kind=Inquiry.Kind.SOURCING, routed_at__isnull=True, erased_at__isnull=True)

    def due_for_erasure(self, months, now=None):
        return self.filter(status=Inquiry.Status.CLOSED, closed_at__lt=cutoff(months, now), erased_at__isnull=True)


class Inquiry(PersonalData):
    """A buyer's request for quotation on one product, or a sourcing request the agency routes."""

    personal_fields = ("name", "company", "email", "phone", "destination", "message")

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Request for quotation")
        SOURCING = "sourcing", _("Sourcing request")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    product = models.ForeignKey(
        "catalogue.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        verbose_name=_("product"),
    )
    # What the product was called when asked about, kept if the page goes.
    product_title = models.CharField(_("product"), max_length=255, blank=True)
    recipients = models.ManyToManyField(
        "catalogue.Producer", blank=True, related_name="inquiries", verbose_name=_("addressed to")
    )

    # The buyer's personal data (Decree 13/2023/NĐ-CP): erased on request or after retention.
    name = models.CharField(_("name"), max_length=128)
    company = models.CharField(_("company"), max_length=255, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    country = CountryField(_("country"))
    language = models.CharField(_("language"), max_length=8, default="vi")

    subject = models.CharField(_("product wanted"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    below_moq = models.BooleanField(_("below the minimum order"), default=False)
    target_price = models.DecimalField(
        _("target price"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    destination = models.CharField(_("destination port or city"), max_length=200, blank=True)
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    # Sourcing filters; the agency's routing screen turns them into a search.
    category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("product group"),
    )
    province = models.ForeignKey(
        "catalogue.Province",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("province"),
    )
    min_stars = models.PositiveSmallIntegerField(
        _("minimum stars"), null=True, blank=True, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    quality = models.CharField(_("quality certification"), max_length=16, blank=True)

    consent_at = models.DateTimeField(_("consent given at"))
    # A hidden token of the form that was shown: a resubmit finds the first inquiry instead of storing a second.
    form_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False, verbose_name=_("form token"))
    thread_token = models.CharField(
        max_length=64, unique=True, null=True, default=new_token, editable=False, verbose_name=_("thread token")
    )

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Unanswered for four working days: the agency follows up until someone answers or it is reassigned.
    escalated_at = models.DateTimeField(_("escalated to the agency"), null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self):
        return f"{self.reference} {self.product_title or self.subject}"

    @property
    def reference(self):
        """INQ-2026-000123: the year received and the row number, what buyers quote back."""
        return f"INQ-{timezone.localtime(self.created_at):%Y}-{self.pk or 0:06d}"

    @property
    def title(self):
        return self.product_title or self.subject or str(self.get_kind_display())

    @property
    def localized_product_title(self):
        """The product as a reader in the active language knows it: its English name for an English
        reader (the name the buyer saw on an English page), the name kept with the inquiry otherwise."""
        if not self.product_title:
            return bilingual.Shown("", bilingual.VIETNAMESE)
        product = self.product
        return bilingual.shown(
            self.product_title, product.name_en if product else "", lambda: product.glossary_name if product else ""
        )

    @property
    def localized_title(self):
        """`title` in the active language, for the emails and pages each side reads."""
        return self.localized_product_title or self.subject or str(self.get_kind_display())

    def on_erase(self, now):
        """Keep the anonymous figures (kind, country, dates); the thread link stops working."""
        self.thread_token = None
        if self.status != self.Status.CLOSED:
            self.status = self.Status.CLOSED
            self.closed_at = now
        self.messages.update(body="")


class InquiryMessage(models.Model):
    """One turn of the conversation: the buyer's first message is the inquiry itself."""

    class Author(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        PRODUCER = "producer", _("Producer")
        AGENCY = "agency", _("Agency")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages", verbose_name=_("inquiry"))
    author = models.CharField(max_length=10, choices=Author.choices, verbose_name=_("author"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("producer"),
    )
    body = models.TextField(verbose_name=_("message"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_author_display()} on {self.inquiry.reference}"


class InquiryFollowUp(FollowUpStep):
    """One step of the reply-time promise on an inquiry (pipeline/follow_up.py): the job's steps
    are unique per wait (`waiting_since`: when the buyer started waiting for this answer)."""

    class Step(models.TextChoices):
        REMINDED = follow_up.REMINDED, _("Reminder sent to the producer")
        ESCALATED = follow_up.ESCALATED, _("Escalated to the agency")
        AGENCY_REPLIED = "agency_replied", _("The agency replied on the producer's behalf")
        REASSIGNED = "reassigned", _("Reassigned by the agency")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("inquiry"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)

    class Meta(FollowUpStep.Meta):
        verbose_name = _("inquiry follow-up")
        verbose_name_plural = _("inquiry follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "step", "waiting_since"],
                condition=models.Q(step__in=follow_up.JOB_STEPS),
                name="inquiry_follow_up_once",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} {self.inquiry_id}"


class InquiryNotification(OutboxEmail):
    """An outbox row: one email to one recipient, with every attempt recorded.

    The row is written in the same transaction as what it announces, so nothing is lost
    if the mail server is down; it is marked sent in the transaction that records the
    successful attempt, so a retry never sends it twice.
    """

    class Kind(models.TextChoices):
        PRODUCER_NEW = "producer_new", _("New inquiry, to the producer")
        AGENCY_NEW = "agency_new", _("New inquiry, to the agency")
        BUYER_ACK = "buyer_ack", _("Acknowledgement, to the buyer")
        BUYER_REPLY = "buyer_reply", _("Reply, to the buyer")
        PRODUCER_FOLLOWUP = "producer_followup", _("Buyer's answer, to the producer")
        PRODUCER_REMINDER = "producer_reminder", _("Reminder, to the producer")
        AGENCY_ESCALATION = "agency_escalation", _("Escalation, to the agency")

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("inquiry")
    )
    message = models.ForeignKey(
        InquiryMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("message")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))

    class Meta(OutboxEmail.Meta):
        verbose_name = _("inquiry email")
        verbose_name_plural = _("inquiry emails")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


@register_setting(icon="mail")
class InquirySettings(BaseGenericSetting):
    """What the agency decides about inquiries (Settings → Inquiries)."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep closed inquiries for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this, the buyer's name, contacts and messages are erased; anonymous figures stay."),
    )

    class Meta:
        verbose_name = _("Inquiries")
