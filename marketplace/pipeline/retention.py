"""A buyer's personal data: erased on request or after the agency's retention period (Decree 13/2023).

Every kind that holds what a buyer typed about themselves (inquiries, meeting requests,
sample orders) stands on `PersonalData`: it names its personal fields, erasing blanks them,
stamps `erased_at` and silences the kind's outbox (no e-mail goes to an erased address), and
`erase_due` applies each kind's own rule for when its retention period has run out.
"""

from dateutil.relativedelta import relativedelta

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def cutoff(months, now=None):
    """The moment before which a closed record has been kept long enough."""
    return (now or timezone.now()) - relativedelta(months=months)


class PersonalData(models.Model):
    """What a buyer told us about themselves, with the one way it is erased."""

    # Text fields blanked by erasure; a kind adds what else it must change in `on_erase`.
    personal_fields = ()

    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        abstract = True

    def on_erase(self, now):
        """What else erasing changes for this kind (a freed slot, a closed status, a dead link)."""

    def erase_personal_data(self, now=None):
        now = now or timezone.now()
        with transaction.atomic():
            for name in self.personal_fields:
                setattr(self, name, "")
            self.erased_at = now
            self.on_erase(now)
            self.save()
            self.notifications.filter(sent_at__isnull=True).update(gave_up_at=now, last_error="erased")
            self.notifications.update(recipient="")


def kinds():
    """Every model holding a buyer's personal data."""
    return [model for model in apps.get_models() if issubclass(model, PersonalData)]


def erase_due(months, now=None):
    """Erase every record whose retention period has run out: {model: how many}."""
    erased = {}
    for model in kinds():
        count = 0
        for record in model.objects.due_for_erasure(months, now=now).iterator():
            record.erase_personal_data(now)
            count += 1
        erased[model] = count
    return erased
