"""Inviting a producer account: the account, its membership, and the e-mail with a set-password link."""

from django_tasks import task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from wagtail.log_actions import log

from catalogue.access import PRODUCERS_GROUP
from catalogue.models import Producer, ProducerMembership


def invite_producer(email, producer, invited_by=None, first_name="", last_name=""):
    """Create (or reuse) the account, link it to the producer and enqueue the invitation email."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()  # the producer chooses one through the link
            user.save()
        user.groups.add(Group.objects.get(name=PRODUCERS_GROUP))
        membership, _ = ProducerMembership.objects.get_or_create(
            user=user, producer=producer, defaults={"invited_by": invited_by}
        )
        log(instance=user, action="wagtail.create", user=invited_by, title=f"Invited {email} for {producer.name}")
    send_producer_invitation.enqueue(user.pk, producer.pk, invited_by.pk if invited_by else None)
    return membership


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
