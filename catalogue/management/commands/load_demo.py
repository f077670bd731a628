from django.core.management.base import BaseCommand

from catalogue.demo.loader import DATA_FILE, load_demo
from catalogue.models import Certification, ProductPage
from marketplace.demo import setup_demo_accounts


class Command(BaseCommand):
    help = "Load the demo OCOP catalogue (idempotent: a second run creates nothing new)."

    def handle(self, *args, **options):
        counts = load_demo()
        visible = ProductPage.objects.visible().count()
        self.stdout.write(
            f"Demo data: {counts['producers']} producers, {counts['products']} products and "
            f"{counts['records']} records created; {visible} of {ProductPage.objects.count()} products "
            f"visible, {Certification.objects.count()} records in all."
        )
        for role, email, password, producer in setup_demo_accounts(DATA_FILE):
            acting_for = f" (acts for {producer.name})" if producer else ""
            self.stdout.write(f"Demo {role} login: {email} / {password}{acting_for}; passwords change on every run.")
