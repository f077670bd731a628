"""Which applications and meetings a user sees: the agency all, a producer its own producers' only."""

from catalogue.access import is_agency, producer_ids_for

from .models import Exhibitor, MeetingRequest


def exhibitors_for(user):
    if is_agency(user):
        return Exhibitor.objects.all()
    return Exhibitor.objects.filter(producer_id__in=producer_ids_for(user))


def meetings_for(user):
    if is_agency(user):
        return MeetingRequest.objects.all()
    return MeetingRequest.objects.filter(exhibitor__producer_id__in=producer_ids_for(user))
