"""The reply-time promise, for inquiries and meeting requests alike: reminders after two working days
unanswered, escalation to the agency after four."""

from django.core.management.base import BaseCommand

from marketplace.fairs import follow_up as meetings
from marketplace.inquiries import follow_up as inquiries


class Command(BaseCommand):
    help = (
        "Remind producers of inquiries and meeting requests unanswered for 2 working days and escalate those "
        "unanswered for 4 to the agency (run every 15 minutes; safe to run twice: each step is taken once)."
    )

    def handle(self, *args, **options):
        reminded, escalated = inquiries.run()
        meetings_reminded, meetings_escalated = meetings.run()
        self.stdout.write(
            f"Follow-up: inquiries {reminded} reminders, {escalated} escalations; "
            f"meeting requests {meetings_reminded} reminders, {meetings_escalated} escalations."
        )
