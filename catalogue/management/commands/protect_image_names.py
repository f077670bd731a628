from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.images import get_image_model

from catalogue.storage import protect_existing_originals


class Command(BaseCommand):
    help = gettext_lazy(
        "Give every original image still stored under a name guessable from its upload (e.g. a product's "
        "slug) a random name; its renditions are regenerated under names derived from it."
    )

    def handle(self, *args, **options):
        moved = protect_existing_originals(get_image_model().objects.order_by("pk").iterator())
        self.stdout.write(_("%(moved)s original images moved to unguessable names.") % {"moved": moved})
