from django.core.management.base import BaseCommand

from marketplace.fairs.delivery import send_due as send_due_meetings
from marketplace.inquiries.delivery import send_due
from marketplace.orders.delivery import send_due as send_due_order_emails


class Command(BaseCommand):
    help = (
        "Send inquiry, sample-order and meeting emails whose retry is due "
        "(run every minute; safe to run twice at once)."
    )

    def handle(self, *args, **options):
        states = send_due()
        self.stdout.write(
            f"Inquiry emails: {states['sent']} sent, {states['pending']} to retry later, {states['failed']} given up."
        )
        states = send_due_order_emails()
        self.stdout.write(
            f"Sample-order emails: {states['sent']} sent, {states['pending']} to retry later, "
            f"{states['failed']} given up."
        )
        states = send_due_meetings()
        self.stdout.write(
            f"Meeting emails: {states['sent']} sent, {states['pending']} to retry later, {states['failed']} given up."
        )
