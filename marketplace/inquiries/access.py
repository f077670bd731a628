"""Which inquiries a user sees: the agency all, a producer those addressed to its producers."""

from catalogue.access import is_agency, producer_ids_for

from .models import Inquiry


def inquiries_for(user):
    if is_agency(user):
        return Inquiry.objects.all()
    producer_ids = producer_ids_for(user)
    if not producer_ids:
        return Inquiry.objects.none()
    # A subquery, not a join: counts and pagination stay one row per inquiry.
    addressed = Inquiry.recipients.through.objects.filter(producer_id__in=producer_ids).values("inquiry_id")
    return Inquiry.objects.filter(pk__in=addressed)


def acting_producer(user, inquiry):
    """The producer a reply is written for: the first of the user's producers the inquiry is addressed to."""
    ids = producer_ids_for(user)
    return inquiry.recipients.filter(pk__in=ids).order_by("name").first()
