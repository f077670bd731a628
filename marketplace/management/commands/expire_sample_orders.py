from django.core.management.base import BaseCommand

from marketplace.orders.services import expire_due


class Command(BaseCommand):
    help = "Expire sample orders left unpaid past the time the agency sets (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sample orders expired: {expire_due()}.")
