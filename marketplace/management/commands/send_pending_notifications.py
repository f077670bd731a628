"""Every minute: send the outbox e-mails (inquiries, sample orders, meetings) whose retry is due."""

from django.core.management.base import BaseCommand

from marketplace.outbox import sending


class Command(BaseCommand):
    help = (
        "Send inquiry, sample-order and meeting emails whose retry is due "
        "(run every minute; safe to run twice at once)."
    )

    def handle(self, *args, **options):
        for label, states in sending.send_due().items():
            self.stdout.write(
                f"{label}: {states['sent']} sent, {states['pending']} to retry later, {states['failed']} given up."
            )
