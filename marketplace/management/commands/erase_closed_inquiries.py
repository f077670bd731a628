from django.core.management.base import BaseCommand

from marketplace.inquiries.models import Inquiry, InquirySettings


class Command(BaseCommand):
    help = "Erase the buyer's personal data from inquiries closed longer than the agency's retention period (daily)."

    def handle(self, *args, **options):
        months = InquirySettings.load().retention_months
        erased = 0
        for inquiry in Inquiry.objects.due_for_erasure(months).iterator():
            inquiry.erase_personal_data()
            erased += 1
        self.stdout.write(f"Inquiries: personal data erased from {erased} closed more than {months} months ago.")
