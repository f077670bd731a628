"""Nightly: measure every producer's responsiveness again (the 180-day window moves on, and
unanswered inquiries past two working days start to count)."""

from django.core.management.base import BaseCommand

from marketplace.inquiries.responsiveness import refresh_all


class Command(BaseCommand):
    help = "Measure each producer's share of buyers answered and median reply time (run nightly; safe to run twice)."

    def handle(self, *args, **options):
        changed = refresh_all()
        self.stdout.write(f"Responsiveness: {len(changed)} producers changed.")
