"""List product pages (live or in their latest draft) that show an image belonging to another producer.

Until ProductPageForm checked every image id a producer posted, a producer could put another
producer's image in a gallery row or a rich-text embed of its own page. This finds such pages for
the agency to clean; it changes nothing.

Whose image it is: the producers its uploader acts for; for an image the agency (or nobody)
uploaded, the producers showing it as their logo or in a gallery. An image is foreign on a page
when it belongs to producers and the page's producer is not among them (for the agency's images:
when a producer other than the page's shows it, which also lists an agency picture two producers
share, for the agency to look at). (Not
catalogue.access.images_for: that counts every image a producer's pages show as its own, so the
page being checked would vouch for itself.)
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from wagtail.images import get_image_model

from catalogue.access import AGENCY_GROUP
from catalogue.image_scope import stored_references
from catalogue.models import Producer, ProducerMembership, ProductImage, ProductPage

LINE = gettext_noop(
    "Page #%(page)s “%(title)s” of %(producer)s (%(where)s), %(field)s: image #%(image)s “%(image_title)s” of %(owner)s"
)
SUMMARY = gettext_noop(
    "%(pages)s product pages show another producer's images (%(count)s references); nothing was changed."
)


def references():
    """(page, where, field path, image id) for every image every product page shows."""
    pages = ProductPage.objects.select_related("producer").order_by("pk")
    for page in pages.iterator(chunk_size=200):
        for path, image_id in stored_references(page):
            yield page, _("live"), path, image_id
        if page.has_unpublished_changes and page.latest_revision_id:
            for path, image_id in stored_references(page.get_latest_revision_as_object()):
                yield page, _("draft"), path, image_id


def owners(image_ids):
    """{image id: (producers its uploader acts for, producers showing it)} (see the module's docstring)."""
    images = get_image_model().objects.filter(pk__in=image_ids).values_list("pk", "uploaded_by_user_id")
    staff = set(
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=AGENCY_GROUP))
        .values_list("pk", flat=True)
    )
    acts_for = defaultdict(set)
    for user_id, producer_id in ProducerMembership.objects.values_list("user_id", "producer_id"):
        acts_for[user_id].add(producer_id)
    shown = defaultdict(set)
    for image_id, producer_id in ProductImage.objects.filter(image_id__in=image_ids).values_list(
        "image_id", "page__producer_id"
    ):
        shown[image_id].add(producer_id)
    for image_id, producer_id in Producer.objects.filter(logo_id__in=image_ids).values_list("logo_id", "pk"):
        shown[image_id].add(producer_id)
    belongs = {}
    for image_id, uploader in images:
        by_uploader = acts_for.get(uploader, set()) if uploader not in staff else set()
        belongs[image_id] = (by_uploader, shown[image_id])
    return belongs


def foreign_to(producer_id, belongs):
    """The producers other than this one the image belongs to; empty when it may be on its pages."""
    by_uploader, shown = belongs
    if by_uploader:
        return set() if producer_id in by_uploader else by_uploader
    # The agency's image: another producer's only if another producer shows it (the page itself
    # showing it proves nothing).
    return shown - {producer_id}


class Command(BaseCommand):
    help = gettext_lazy(
        "List product pages (live or in their latest draft) that show an image belonging to another producer."
    )

    def handle(self, *args, **options):
        found = list(references())
        belongs = owners({image_id for *_rest, image_id in found if isinstance(image_id, int)})
        titles = dict(get_image_model().objects.filter(pk__in=belongs).values_list("pk", "title"))
        names = dict(Producer.objects.values_list("pk", "name"))
        pages, count = set(), 0
        for page, where, path, image_id in found:
            # An embed naming no image (deleted since) shows nothing.
            others = foreign_to(page.producer_id, belongs[image_id]) if image_id in belongs else None
            if not others:
                continue
            pages.add(page.pk)
            count += 1
            self.stdout.write(
                _(LINE)
                % {
                    "page": page.pk,
                    "title": page.title,
                    "producer": page.producer.name,
                    "where": where,
                    "field": path,
                    "image": image_id,
                    "image_title": titles.get(image_id, ""),
                    "owner": ", ".join(sorted(names[pk] for pk in others)),
                }
            )
        self.stdout.write(_(SUMMARY) % {"pages": len(pages), "count": count})
