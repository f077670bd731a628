"""Hourly: fold the raw searches into daily figures and delete those older than 30 days."""

from django.core.management.base import BaseCommand

from marketplace.demand.folding import fold
from marketplace.demand.models import RAW_DAYS


class Command(BaseCommand):
    help = f"Fold raw searches into daily figures; delete raw searches older than {RAW_DAYS} days (safe to run twice)."

    def handle(self, *args, **options):
        folded, deleted = fold()
        self.stdout.write(
            f"Searches: {folded} folded into daily figures, {deleted} older than {RAW_DAYS} days deleted."
        )
