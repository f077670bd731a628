from django.core.management.base import BaseCommand

from catalogue.demo.loader import load_demo
from catalogue.models import Certification, ProductPage


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
