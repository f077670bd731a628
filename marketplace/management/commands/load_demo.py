"""The demo site: catalogue's products and records, marketplace's two logins, then each wing's demo."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.demo.loader import DATA_FILE, load_demo
from catalogue.models import Certification, ProductPage
from marketplace.accounts.demo import setup_demo_accounts
from marketplace.collections.demo import load_demo_collections
from marketplace.demand.demo import load_demo_demand
from marketplace.fairs.demo import load_demo_fairs, load_demo_meeting_history
from marketplace.inquiries.demo import load_demo_inquiries, load_demo_inquiry_history
from marketplace.lots.demo import load_demo_lots
from marketplace.models import Exhibitor, FairPage, ProductCollectionPage
from marketplace.orders.demo import load_demo_order_history, load_demo_orders, load_demo_reviews
from marketplace.site import setup_site

# The demo's slow producer (Tân Cương tea): few buyers answered, a meeting request escalated to the agency.
SLOW_PRODUCT = "che-tan-cuong-dac-biet"


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo OCOP catalogue and its two demo logins (idempotent: a second run creates nothing new)."
    )

    def handle(self, *args, **options):
        # The same page tree and roles a production site gets from `setup_site`, then the demo on top.
        setup_site()
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
            if producer is not None:  # each wing's demo, idempotent: the demo producer's inbox, orders, fairs
                slow = ProductPage.objects.filter(slug=SLOW_PRODUCT).select_related("producer").first()
                slow_producer = slow.producer if slow else None
                load_demo_inquiries(producer, slow_producer=slow_producer)
                load_demo_orders(producer)
                load_demo_reviews(producer)
                load_demo_fairs(producer, slow_producer=slow_producer)
                lot = load_demo_lots(producer)
                if lot is not None:
                    url = lot.get_absolute_url()
                    self.stdout.write(_("Demo lot %(code)s: %(url)s") % {"code": lot.code, "url": url})
            if producer is None:
                line = _("Demo %(role)s login: %(email)s / %(password)s; passwords change on every run.") % login
            else:
                line = _(
                    "Demo %(role)s login: %(email)s / %(password)s (acts for %(producer)s); "
                    "passwords change on every run."
                ) % {**login, "producer": producer.name}
            self.stdout.write(line)
        load_demo_collections()
        self.stdout.write(
            _("Demo fairs: %(fairs)s fairs with %(exhibitors)s exhibitors, %(collections)s collections.")
            % {
                "fairs": FairPage.objects.count(),
                "exhibitors": Exhibitor.objects.count(),
                "collections": ProductCollectionPage.objects.count(),
            }
        )
        # Three months of buyers' activity (seeded, the same on every run) for the demand figures.
        history = {
            "inquiries": load_demo_inquiry_history(),
            "orders": load_demo_order_history(),
            "meetings": load_demo_meeting_history(),
        }
        history["searches"], history["views"] = load_demo_demand()
        self.stdout.write(
            _(
                "Demo demand: %(searches)s searches, %(views)s daily page-view counts, %(inquiries)s inquiries, "
                "%(orders)s sample orders and %(meetings)s meeting requests over three months."
            )
            % history
        )
