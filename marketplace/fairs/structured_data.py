"""schema.org Event JSON-LD for a fair page, with its breadcrumbs and its visible featured products."""

from django.utils.translation import gettext as _

from catalogue.public_url import public_url
from catalogue.structured_data import SCHEMA, breadcrumbs, home_crumb, plain, postal_address, product_list

ATTENDANCE_MODES = {
    "in_person": f"{SCHEMA}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA}/OnlineEventAttendanceMode",
    "hybrid": f"{SCHEMA}/MixedEventAttendanceMode",
}


def location(fair):
    """A Place for a venue, a VirtualLocation for the livestream, or both for a hybrid fair."""
    places = []
    if fair.attendance != fair.Attendance.ONLINE:
        places.append(
            {
                "@type": "Place",
                "name": fair.venue or fair.province.name,
                "address": postal_address(fair.venue_address, region=fair.province.name),
            }
        )
    if fair.attendance != fair.Attendance.IN_PERSON and fair.livestream_url:
        places.append({"@type": "VirtualLocation", "url": fair.livestream_url})
    return places[0] if len(places) == 1 else places


def event(fair, request):
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": fair.localized_title,
        "url": public_url(fair.get_full_url(request)),
        # Aware datetimes in Vietnam time: isoformat() writes the +07:00 offset.
        "startDate": fair.starts_at.isoformat(),
        "endDate": fair.ends_at.isoformat(),
        "eventAttendanceMode": ATTENDANCE_MODES[fair.attendance],
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "location": location(fair),
        "organizer": {"@type": "Organization", "name": fair.organiser},
    }
    # The English description on an English page; otherwise the SEO summary, else the description.
    own = fair.localized_description
    description = plain(own if own.lang != "vi" else (fair.search_description or own))
    if description:
        data["description"] = description
    return data


def fair_page(fair, featured, request):
    """JSON-LD blocks of a fair page; featured must already be the visible featured products."""
    trail = [home_crumb(request)]
    parent = fair.get_parent()
    if parent is not None and parent.depth > 2:  # the home page is already the first crumb
        trail.append((getattr(parent, "localized_title", parent.title), public_url(parent.get_full_url(request))))
    trail.append((fair.localized_title, public_url(fair.get_full_url(request))))
    blocks = [event(fair, request), breadcrumbs(trail)]
    if featured:
        listing = product_list(featured, request)
        listing["name"] = _("Featured products")
        blocks.append(listing)
    return blocks
