"""The reply-time promise's clock and steps, shared by every wing that owes a buyer an answer
(inquiries, meeting requests): two working days unanswered send a reminder, four escalate the
request to the agency.

A wing says which requests wait and since when, and what a reminder and an escalation queue
(a `Promise`); this module counts the working time (catalogue/working_hours.py) and takes
each step at most once. A step the job takes is a row of the wing's step log (on `FollowUpStep`),
unique per (request, step, wait) by the wing's constraint, and written in the transaction that
queues its e-mails: the job may run as often as it likes, or twice at once, and sends each
reminder once. Steps a person takes (the agency's answer, a reassignment) go in the same log
with who took them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.working_hours import DAY_MINUTES, minutes_between

REMIND_AFTER = 2 * DAY_MINUTES
ESCALATE_AFTER = 4 * DAY_MINUTES
REMINDED = "reminded"
ESCALATED = "escalated"
# The steps the scheduled job takes: once per wait, whatever else a wing logs.
JOB_STEPS = (REMINDED, ESCALATED)


class FollowUpStep(models.Model):
    """One step of the promise, with who took it (no user: the scheduled job) and when.

    A wing's log adds its `step` (with choices starting with REMINDED and ESCALATED), the key to
    its request and a unique constraint on (request, step, waiting_since) for the JOB_STEPS.
    """

    waiting_since = models.DateTimeField(_("waiting since"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


@dataclass(frozen=True)
class Promise:
    """How one wing keeps the promise.

    `log` is its FollowUpStep model and `request_field` the log's key to the request;
    `remind(request, now)` and `escalate(request, now)` run inside the step's transaction and
    return the outbox rows they queued; `enqueue(rows)` hands them to the outbox after the commit.
    """

    log: type
    request_field: str
    remind: Callable
    escalate: Callable
    enqueue: Callable

    def run(self, waiting, now=None):
        """Take every step due for `waiting`, pairs of (request, waiting since); returns (reminders, escalations)."""
        now = now or timezone.now()
        reminded = escalated = 0
        for request, since in waiting:
            minutes = minutes_between(since, now)
            if minutes >= REMIND_AFTER and self.take(request, REMINDED, since, now):
                reminded += 1
            if minutes >= ESCALATE_AFTER and self.take(request, ESCALATED, since, now):
                escalated += 1
        return reminded, escalated

    def take(self, request, step, since, now):
        """The job's step, once per wait: False when this wait already had it (another run took it)."""
        with transaction.atomic():
            _step, created = self.log.objects.get_or_create(
                **{self.request_field: request}, step=step, waiting_since=since, defaults={"created_at": now}
            )
            if not created:
                return False
            rows = self.escalate(request, now) if step == ESCALATED else self.remind(request, now)
        self.enqueue(rows)
        return True

    def record(self, request, step, user, note="", now=None):
        """A step a person took (the agency's answer or reassignment): who and when."""
        now = now or timezone.now()
        return self.log.objects.create(
            **{self.request_field: request}, step=step, user=user, note=note[:255], waiting_since=now, created_at=now
        )
