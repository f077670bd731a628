"""How a producer answers buyers: figures the marketplace measures from its inquiry threads.

The catalogue shows them (producer and product pages, the API, search) but does not compute
them: marketplace.inquiries writes this row when a thread changes and every night, so a page
view only reads it.
"""

from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..working_hours import DAY_MINUTES

# Fewer inquiries than this say nothing about a producer: it is shown as new instead.
MIN_INQUIRIES = 3
WINDOW_DAYS = 180
# Reply-time classes, in working days: the phrase shown and the search filter's choices.
WITHIN_DAYS = (1, 2, 5)


class Responsiveness(models.Model):
    producer = models.OneToOneField(
        "catalogue.Producer",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="responsiveness",
        verbose_name=_("producer"),
    )
    inquiries = models.PositiveIntegerField(_("inquiries counted"), default=0)
    answered = models.PositiveIntegerField(_("inquiries answered"), default=0)
    median_reply_minutes = models.PositiveIntegerField(
        _("median time to the first reply (working minutes)"), null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("responsiveness")
        verbose_name_plural = _("responsiveness")

    def __str__(self):
        return f"{self.producer_id}: {self.answered}/{self.inquiries}"

    @property
    def measured(self):
        return self.inquiries >= MIN_INQUIRIES

    @property
    def reply_minutes(self):
        """The median the search index keeps: only once measured and something was answered."""
        return self.median_reply_minutes if self.measured and self.answered else None

    @property
    def within_days(self):
        """The smallest reply-time class the median falls in (1, 2 or 5 working days), or None."""
        minutes = self.reply_minutes
        if minutes is None:
            return None
        return next((days for days in WITHIN_DAYS if minutes <= days * DAY_MINUTES), None)

    @property
    def reply_phrase(self):
        days = self.within_days
        if self.reply_minutes is None:
            return ""
        if days == 1:
            return gettext("Usually replies within a day")
        if days == 2:
            return gettext("Usually replies within 2 days")
        if days == 5:
            return gettext("Usually replies within a week")
        return gettext("Usually replies in more than a week")

    @property
    def answered_phrase(self):
        return ngettext(
            "answered %(answered)s of %(total)s buyer in the last 6 months",
            "answered %(answered)s of %(total)s buyers in the last 6 months",
            self.inquiries,
        ) % {"answered": self.answered, "total": self.inquiries}

    @property
    def summary(self):
        """“Usually replies within a day · answered 9 of 10 buyers in the last 6 months”, or “New on
        the marketplace” below three inquiries."""
        if not self.measured:
            return gettext("New on the marketplace")
        phrase = self.answered_phrase
        if self.reply_phrase:
            return f"{self.reply_phrase} · {phrase}"
        return phrase[:1].upper() + phrase[1:]


def summary_of(producer):
    """The summary for a producer, whether or not the marketplace has measured it yet."""
    try:
        return producer.responsiveness.summary
    except Responsiveness.DoesNotExist:
        return gettext("New on the marketplace")
