"""Who else at the fair could meet the buyer: for reassigning a meeting request the exhibitor
left unanswered.

It asks the public search contract (the engine behind /search/) for visible products in the
product groups the first exhibitor shows, and keeps those the fair's other accepted exhibitors
show there, when the exhibitor is still free at the request's slot; so a proposal never rests on a
product the public could not see.
"""

from dataclasses import dataclass, field

from search.contract import SearchQuery, search

MAX_PRODUCTS = 200


@dataclass
class Alternative:
    exhibitor: object
    products: list = field(default_factory=list)


def slot_free(exhibitor, meeting):
    """No request held by `exhibitor` overlaps the meeting's slot."""
    held = exhibitor.meetings.holding_slot().exclude(pk=meeting.pk)
    return not held.filter(starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at).exists()


def alternatives(meeting):
    """[Alternative]: the matching exhibitors free at the slot, those with most matching products first."""
    current = meeting.exhibitor
    others = current.fair.exhibitors.accepted().exclude(pk=current.pk).select_related("producer", "zone")
    # Products count only where their exhibitor shows them at this fair.
    shown = {
        product_id: exhibitor for exhibitor in others for product_id in exhibitor.products.values_list("pk", flat=True)
    }
    categories = {p.category.slug for p in current.products.select_related("category") if p.category_id}
    found = {}
    for slug in sorted(categories):
        for product in search(SearchQuery.from_params({"category": slug}, page_size=MAX_PRODUCTS)).hits:
            if product.pk in shown:
                exhibitor = shown[product.pk]
                found.setdefault(exhibitor.pk, Alternative(exhibitor)).products.append(product)
    proposals = [a for a in found.values() if slot_free(a.exhibitor, meeting)]
    return sorted(proposals, key=lambda a: (-len(a.products), a.exhibitor.producer.name))
