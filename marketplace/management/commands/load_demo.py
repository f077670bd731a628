"""The demo site: catalogue's products and records, then marketplace's two logins (this app sees both)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.demo.loader import DATA_FILE, load_demo
from catalogue.models import Certification, ProductPage
from marketplace.accounts.demo import setup_demo_accounts
from marketplace.models import Exhibitor, FairPage, ProductCollectionPage


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo OCOP catalogue and its two demo logins (idempotent: a second run creates nothing new)."
    )

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            _(
                "Demo data: %(producers)s producers, %(products)s products and %(records)s records created; "
                "%(visible)s of %(all_products)s products visible, %(all_records)s records in all."
            )
            % {
                **counts,
                "visible": ProductPage.objects.visible().count(),
                "all_products": ProductPage.objects.count(),
                "all_records": Certification.objects.count(),
            }
        )
        for role, email, password, producer in setup_demo_accounts(DATA_FILE):
            login = {"role": role, "email": email, "password": password}
            if producer is None:
                line = _("Demo %(role)s login: %(email)s / %(password)s; passwords change on every run.") % login
            else:
                line = _(
                    "Demo %(role)s login: %(email)s / %(password)s (acts for %(producer)s); "
                    "passwords change on every run."
                ) % {**login, "producer": producer.name}
            self.stdout.write(line)
        self.stdout.write(
            _("Demo fairs: %(fairs)s fairs with %(exhibitors)s exhibitors, %(collections)s collections.")
            % {
                "fairs": FairPage.objects.count(),
                "exhibitors": Exhibitor.objects.count(),
                "collections": ProductCollectionPage.objects.count(),
            }
        )
