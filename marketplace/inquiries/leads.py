"""A sourcing request opened by the agency from a search lead (marketplace.shared.leads).

The request is the agency's own (its name, e-mail and consent: an agency user acting for the
buyers who searched), unrouted, with the search as the product wanted; the route screen then
proposes producers.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ..shared import leads
from .models import Inquiry


def open_sourcing_request(user, query, language):
    inquiry = Inquiry.objects.create(
        kind=Inquiry.Kind.SOURCING,
        name=(user.get_full_name() or user.get_username())[:128],
        email=user.email or "agency@invalid",
        country="VN",
        language=language,
        subject=query[:200],
        message=gettext("Opened by the agency from buyers' searches for “%(query)s”.") % {"query": query},
        consent_at=timezone.now(),
    )
    return reverse("marketplace_inquiry_route", args=[inquiry.pk])


leads.register("sourcing", gettext_lazy("Open a sourcing request"), open_sourcing_request)
