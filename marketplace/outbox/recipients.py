"""Who an outbox e-mail goes to, in which language, and the absolute links it carries."""

from django.conf import settings
from django.contrib.auth import get_user_model

from catalogue.access import AGENCY_GROUP
from catalogue.models import ProducerMembership


def absolute(path):
    """A link for an e-mail: the configured public address, never the request's host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def user_language(user):
    profile = getattr(user, "wagtail_userprofile", None)
    return (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE


def producer_addresses(producers):
    """Each producer's active accounts, or its public address when it has none: [(email, language)]."""
    found = {}
    for producer in producers:
        memberships = ProducerMembership.objects.filter(
            producer=producer, user__is_active=True, user__email__gt=""
        ).select_related("user", "user__wagtail_userprofile")
        accounts = [(m.user.email.lower(), user_language(m.user)) for m in memberships]
        if not accounts and producer.email:
            accounts = [(producer.email.lower(), settings.LANGUAGE_CODE)]
        found.update(dict(accounts))
    return list(found.items())


def agency_addresses():
    users = (
        get_user_model()
        .objects.filter(groups__name=AGENCY_GROUP, is_active=True, email__gt="")
        .select_related("wagtail_userprofile")
        .distinct()
    )
    return list({u.email.lower(): user_language(u) for u in users}.items())
