"""The columns and state every outbox row has, whatever kind of e-mail it holds.

Each kind of message keeps its own table (what it points at and what it says differ), but
how a message waits, is retried and given up on is one set of columns and one state.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    recipient = models.EmailField(blank=True, verbose_name=_("recipient"))
    language = models.CharField(max_length=8, default="vi", verbose_name=_("language"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("next attempt at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    gave_up_at = models.DateTimeField(null=True, blank=True, verbose_name=_("gave up at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def state(self):
        if self.sent_at:
            return "sent"
        return "failed" if self.gave_up_at else "pending"
