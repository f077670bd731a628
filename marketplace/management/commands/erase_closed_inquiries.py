from django.core.management.base import BaseCommand

from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry, InquirySettings


class Command(BaseCommand):
    help = (
        "Erase the buyer's personal data from inquiries closed, and meeting requests of fairs ended, longer than "
        "the agency's retention period ago (daily)."
    )

    def handle(self, *args, **options):
        months = InquirySettings.load().retention_months
        erased = 0
        for inquiry in Inquiry.objects.due_for_erasure(months).iterator():
            inquiry.erase_personal_data()
            erased += 1
        self.stdout.write(f"Inquiries: personal data erased from {erased} closed more than {months} months ago.")
        erased = 0
        for meeting in MeetingRequest.objects.due_for_erasure(months).iterator():
            meeting.erase_personal_data()
            erased += 1
        self.stdout.write(
            f"Meeting requests: personal data erased from {erased} of fairs ended more than {months} months ago."
        )
