"""Verified reviews of samples: a buyer rates a delivered sample order once; the producer replies in
public; the agency hides (with a reason, kept in a history) or shows again.

Only a delivered order can be reviewed, and only once (a one-to-one on the order). Averages are
computed from the visible reviews whenever they are read, never stored; the catalogue reads them
through the source registered with `catalogue.ratings`. The public sees no name: only the
buyer's country and the month they wrote, so nothing changes when the order's personal data is
erased.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, Window
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import purging, ratings
from catalogue.countries import country_name
from catalogue.models import ProductPage
from catalogue.statements import Statement

from .models import OrderState, SampleOrder

SCORES = ("quality", "packaging", "communication")
COMMENT_CHARS = 2000
# Reviews listed on a page and given to search engines; the averages count them all.
SHOWN = 10


def score_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


# What averages() computes of a set of reviews.
AVERAGES = {"count": Count("pk"), **{name: Avg(name) for name in SCORES}}
EMPTY = {"count": 0, **dict.fromkeys(SCORES)}  # what AVERAGES give over no review


def _with_overall(figures):
    figures["overall"] = sum(figures[name] for name in SCORES) / len(SCORES) if figures["count"] else None
    return figures


class SampleReviewQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees, and the averages count: not hidden by the agency."""
        return self.filter(hidden=False)

    def of_product(self, product):
        return self.filter(order__product=product)

    def of_producer(self, producer):
        return self.filter(order__producer=producer)

    def of_listed_products(self):
        """Reviews of products the public can open (the catalogue's visibility rule)."""
        return self.filter(order__product__in=ProductPage.objects.visible().values("pk"))

    def averages(self):
        """{count, quality, packaging, communication, overall} of these reviews, computed now."""
        return _with_overall(self.aggregate(**AVERAGES))

    def public_order(self, *also):
        """Newest first, with what the public reads of each: the scores, the comment and the reply,
        where the buyer is (never who) and the producer who replied, and the fields named in `also`;
        no other column of the order."""
        shown = ("quality", "packaging", "communication", "comment", "language", "created_at", "reply")
        return (
            self.select_related("order__producer")
            .only(*shown, "order__country", "order__producer__name", *also)
            .order_by("-created_at", "-pk")
        )


class SampleReview(models.Model):
    """A buyer's rating of a delivered sample order: one per order."""

    order = models.OneToOneField(
        SampleOrder, on_delete=models.CASCADE, related_name="review", verbose_name=_("sample order")
    )
    quality = score_field(_("quality"))
    packaging = score_field(_("packaging"))
    communication = score_field(_("communication"))
    # Plain text, shown escaped everywhere (never as HTML).
    comment = models.TextField(_("comment"), max_length=COMMENT_CHARS, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)

    reply = models.TextField(_("producer's reply"), max_length=COMMENT_CHARS, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replied by"),
    )

    hidden = models.BooleanField(_("hidden by the agency"), default=False)

    objects = SampleReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sample review")
        verbose_name_plural = _("sample reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    quality__gte=1,
                    quality__lte=5,
                    packaging__gte=1,
                    packaging__lte=5,
                    communication__gte=1,
                    communication__lte=5,
                ),
                name="sample_review_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.order.reference}: {self.rating:.1f}"

    @property
    def rating(self):
        """The review's own score: the mean of its three."""
        return sum(getattr(self, name) for name in SCORES) / len(SCORES)

    @property
    def verified_line(self):
        """What the public reads about the buyer: never a name, so erasure changes nothing here."""
        return gettext("Verified sample order · buyer from %(country)s · %(month)s") % {
            "country": country_name(self.order.country),
            "month": self.month,
        }

    @property
    def author(self):
        return gettext("Buyer from %(country)s") % {"country": country_name(self.order.country)}

    @property
    def month(self):
        # Django's own month names: "March 2026", "Tháng ba 2026".
        return date_format(timezone.localtime(self.created_at), "F Y")

    def purge_pages(self):
        """The product and producer pages show this review: the shared cache drops them on commit."""
        purging.purge(products=[self.order.product_id], producers=[self.order.producer_id])


class ReviewModeration(models.Model):
    """One step of the agency's moderation: hidden with a reason, or shown again; who and when."""

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")

    review = models.ForeignKey(
        SampleReview, on_delete=models.CASCADE, related_name="moderation", verbose_name=_("sample review")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(_("actor"), max_length=64)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review moderation")
        verbose_name_plural = _("review moderation")

    def __str__(self):
        return f"{self.review_id} {self.action}"


ALREADY_REVIEWED = _("This sample order has already been reviewed: one review per order.")


class NotReviewable(Exception):
    """The order cannot be reviewed (not delivered, or already reviewed); `status` says how to answer."""

    def __init__(self, message, status):
        self.message, self.status = message, status
        super().__init__(message)


def check_reviewable(order):
    if order.state != OrderState.DELIVERED:
        raise NotReviewable(
            gettext("You can rate a sample once its order is delivered; %(reference)s is “%(state)s”.")
            % {"reference": order.reference, "state": order.get_state_display()},
            403,
        )
    if SampleReview.objects.filter(order=order).exists():
        raise NotReviewable(ALREADY_REVIEWED, 409)


def write(order, cleaned, language):
    """Store the buyer's review of a delivered order, or raise NotReviewable."""
    check_reviewable(order)
    try:
        with transaction.atomic():
            # Locks the order and reads it again: of two racing submissions the second finds the first
            # review (where the database has no row locks, the one-to-one refuses it).
            check_reviewable(SampleOrder.objects.select_for_update().get(pk=order.pk))
            review = SampleReview.objects.create(
                order=order, language=language, **{name: cleaned[name] for name in (*SCORES, "comment")}
            )
            review.purge_pages()
    except IntegrityError as race:
        raise NotReviewable(ALREADY_REVIEWED, 409) from race
    return review


def _actor(user):
    return (user.get_full_name() or user.get_username())[:64]


def moderate(review, user, *, hide, reason=""):
    """Hide (with a reason) or show again; returns the history row, or None when nothing changed."""
    with transaction.atomic():
        changed = SampleReview.objects.filter(pk=review.pk, hidden=not hide).update(hidden=hide)
        if not changed:
            return None
        review.hidden = hide
        step = ReviewModeration.objects.create(
            review=review,
            action=ReviewModeration.Action.HIDDEN if hide else ReviewModeration.Action.SHOWN,
            reason=reason[:500],
            user=user,
            actor=_actor(user),
        )
        review.purge_pages()
    return step


def save_reply(review, user, text):
    """The producer's public reply (an empty text removes it)."""
    review.reply = text
    review.replied_at = timezone.now() if text else None
    review.replied_by = user if text else None
    with transaction.atomic():
        review.save(update_fields=["reply", "replied_at", "replied_by"])
        review.purge_pages()


def shown(reviews, *also):
    """(averages, the latest SHOWN with their orders) of these visible reviews: what a page lists
    (and the fields named in `also`, see public_order)."""
    figures = reviews.averages()
    if not figures["count"]:
        return figures, []
    return figures, list(reviews.public_order(*also)[:SHOWN])


def shown_for_product(product):
    """shown() for the product's visible reviews, read once per product object: its page lists
    them and its JSON-LD (catalogue.ratings) summarises the same ones."""
    if not hasattr(product, "_shown_reviews"):
        # shown() in one statement compiled once per process (catalogue.statements): each of the
        # latest carries the averages of them all.
        latest = _PRODUCT_SHOWN(product.pk)
        figures = _with_overall(
            {name: getattr(latest[0], f"all_{name}") if latest else EMPTY[name] for name in AVERAGES}
        )
        for review in latest:
            review.order.product = product  # the same product: not read again with each order
        product._shown_reviews = figures, latest
    return product._shown_reviews


# The latest SHOWN, each with averages() over every visible review as window aggregates, which
# the database computes before the LIMIT: the averages and the list in one query, not two.
_PRODUCT_SHOWN = Statement(
    lambda product: (
        SampleReview.objects.visible()
        .of_product(product)
        .public_order()
        .annotate(**{f"all_{name}": Window(aggregate) for name, aggregate in AVERAGES.items()})[:SHOWN]
    )
)


def summary(figures, latest):
    """The catalogue's view of shown() reviews: averages and the latest few, or None."""
    if not figures["count"]:
        return None
    return ratings.RatingSummary(
        count=figures["count"],
        latest=[
            ratings.PublicReview(
                rating=review.rating,
                author=review.author,
                published=timezone.localtime(review.created_at).date(),
                body=review.comment,
            )
            for review in latest
        ],
        **{name: float(figures[name]) for name in (*SCORES, "overall")},
    )


@ratings.rates_products
def product_rating(product):
    return summary(*shown_for_product(product))
