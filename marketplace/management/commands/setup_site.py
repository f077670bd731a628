"""`manage.py setup_site`: the page tree a fresh site needs (home, products, fairs, collections) and the roles.

The deployment runs it after every `migrate`: a second run creates nothing and leaves pages
the agency has edited as they are. It never loads demo data (that is `load_demo`).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.site import setup_site


class Command(BaseCommand):
    help = gettext_lazy(
        "Create the home page, /products/, /fairs/ and /collections/ in both languages and the agency and "
        "producer roles, where missing (idempotent: a second run creates nothing new)."
    )

    def handle(self, *args, **options):
        created = setup_site()
        for page in created:
            self.stdout.write(
                _("Created %(kind)s “%(title)s” (%(title_en)s) at %(path)s.")
                % {
                    "kind": page.specific_class._meta.verbose_name,
                    "title": page.title,
                    "title_en": getattr(page.specific, "title_en", "") or page.title,
                    "path": page.get_url(),
                }
            )
        if created:
            self.stdout.write(_("Site ready: %(count)s pages created; roles up to date.") % {"count": len(created)})
        else:
            self.stdout.write(_("Site ready: every page was already there, nothing created; roles up to date."))
