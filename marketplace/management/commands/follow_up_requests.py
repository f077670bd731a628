"""The reply-time promise: reminders after two working days unanswered, escalation to the agency after four."""

from django.core.management.base import BaseCommand

from marketplace.inquiries.follow_up import run


class Command(BaseCommand):
    help = (
        "Remind producers of inquiries unanswered for 2 working days and escalate those unanswered for 4 "
        "to the agency (run every 15 minutes; safe to run twice: each step is taken once)."
    )

    def handle(self, *args, **options):
        reminded, escalated = run()
        self.stdout.write(f"Follow-up: {reminded} reminders, {escalated} escalations.")
