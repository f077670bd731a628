from django.core.management.base import BaseCommand

from marketplace.records.reminders import schedule_reminders


class Command(BaseCommand):
    help = "Enqueue reminders for records expiring within 90 or 30 days (run daily; safe to run twice)."

    def handle(self, *args, **options):
        enqueued = schedule_reminders()
        self.stdout.write(f"Expiry reminders: {enqueued} enqueued today (records already reminded are skipped).")
