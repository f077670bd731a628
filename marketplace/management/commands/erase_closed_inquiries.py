"""Daily: erase the buyer's personal data from inquiries, meeting requests and sample orders kept long enough."""

from django.core.management.base import BaseCommand
from django.utils import translation

from marketplace.inquiries.models import InquirySettings
from marketplace.pipeline.retention import erase_due


class Command(BaseCommand):
    help = (
        "Erase the buyer's personal data from inquiries closed, meeting requests of fairs ended and sample orders "
        "closed longer than the agency's retention period ago (daily)."
    )

    def handle(self, *args, **options):
        months = InquirySettings.load().retention_months
        for model, erased in erase_due(months).items():
            with translation.override("en"):  # the operators' log reads the same on every site
                kind = str(model._meta.verbose_name_plural).capitalize()
            self.stdout.write(f"{kind}: personal data erased from {erased} closed more than {months} months ago.")
