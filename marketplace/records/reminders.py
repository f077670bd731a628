"""Expiry reminders: recorded and enqueued by the daily command, e-mailed by a background task."""

from django_tasks import task

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from .expiry import due_reminders, recipients_for
from .models import ExpiryReminder


def schedule_reminders(on=None):
    """Record and enqueue today's reminders; returns how many were enqueued. Safe to run twice."""
    enqueued = 0
    for record, threshold in due_reminders(on):
        try:
            with transaction.atomic():
                reminder = ExpiryReminder.objects.create(certification=record, threshold_days=threshold)
        except IntegrityError:
            continue  # another run got there first
        send_expiry_reminder.enqueue(reminder.pk)
        enqueued += 1
    return enqueued


@task()
def send_expiry_reminder(reminder_id):
    reminder = ExpiryReminder.objects.select_related("certification__producer").get(pk=reminder_id)
    if reminder.sent_at is not None:
        return []  # a retried task must not email twice
    record = reminder.certification
    recipients = recipients_for(record)
    if recipients:
        context = {
            "record": record,
            "days_left": (record.expires_on - timezone.localdate()).days,
            "threshold": reminder.threshold_days,
            "record_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + record.get_absolute_url(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        send_mail(
            subject=gettext("OCOP certificate %(decision)s expires on %(date)s")
            % {"decision": record.decision_number, "date": f"{record.expires_on:%d/%m/%Y}"},
            message=render_to_string("marketplace/email/expiry_reminder.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    reminder.sent_at = timezone.now()
    reminder.recipients = "\n".join(recipients)
    reminder.save(update_fields=["sent_at", "recipients"])
    return recipients
