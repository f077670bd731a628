"""Background tasks (django-tasks): the emails the marketplace sends."""

from django_tasks import task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from catalogue.models import Producer

from .models import ExpiryReminder
from .reminders import recipients_for


def set_password_url(user):
    """A one-time link to Wagtail's set-password form (Django's token generator)."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_producer_invitation(user_id, producer_id, invited_by_id=None):
    User = get_user_model()
    user = User.objects.get(pk=user_id)
    producer = Producer.objects.get(pk=producer_id)
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    context = {
        "user": user,
        "producer": producer,
        "invited_by": invited_by,
        "set_password_url": set_password_url(user),
        "login_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_login"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_mail(
        subject=gettext("%(site)s: you are invited to manage %(producer)s")
        % {"site": settings.WAGTAIL_SITE_NAME, "producer": producer.name},
        message=render_to_string("marketplace/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return user.email


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
