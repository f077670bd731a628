"""Expiry care: which records need a reminder today, who hears about it, and what the dashboard shows."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from catalogue.access import AGENCY_GROUP
from catalogue.models import Certification

from .models import ExpiryReminder

# The dashboard looks this far ahead and back.
DASHBOARD_WINDOW_DAYS = 90


def superseded(records):
    """Records whose product already holds a later record: re-certified, nothing to remind."""
    later = Certification.objects.filter(
        product=OuterRef("product"), signed_on__gt=OuterRef("signed_on"), revoked_on__isnull=True
    )
    return records.filter(product__isnull=False).filter(Exists(later))


def due_threshold(days_left):
    """The tightest threshold a record `days_left` from expiry has crossed (90 or 30), or None."""
    crossed = [t for t in ExpiryReminder.THRESHOLDS if days_left <= t]
    return min(crossed) if crossed else None


def due_reminders(on=None):
    """(record, threshold) pairs with no reminder yet: in force, expiring within 90 days, not superseded."""
    on = on or timezone.localdate()
    horizon = on + datetime.timedelta(days=max(ExpiryReminder.THRESHOLDS))
    candidates = Certification.objects.expiring_between(on + datetime.timedelta(days=1), horizon)
    candidates = candidates.exclude(pk__in=superseded(candidates).values("pk")).select_related("producer")
    for record in candidates:
        threshold = due_threshold((record.expires_on - on).days)
        if threshold and not record.expiry_reminders.filter(threshold_days__lte=threshold).exists():
            yield record, threshold


def recipients_for(record):
    """Active producer accounts of the record's producer (or its public address), and agency staff."""
    User = get_user_model()
    addresses = []
    if record.producer_id:
        members = User.objects.filter(is_active=True, producer_memberships__producer_id=record.producer_id).exclude(
            email=""
        )
        addresses += list(members.values_list("email", flat=True))
        if not addresses and record.producer.email:
            addresses.append(record.producer.email)
    agency = User.objects.filter(is_active=True, groups__name=AGENCY_GROUP).exclude(email="")
    addresses += list(agency.values_list("email", flat=True))
    return sorted(set(addresses), key=addresses.index)


def expiring_and_expired(records, on=None):
    """For the dashboard: records expiring in the next 90 days and those expired in the last 90."""
    on = on or timezone.localdate()
    window = datetime.timedelta(days=DASHBOARD_WINDOW_DAYS)
    expiring = records.expiring_between(on + datetime.timedelta(days=1), on + window).order_by("expires_on")
    expired = records.expired(on).filter(expires_on__gt=on - window).order_by("-expires_on")
    return expiring, expired
