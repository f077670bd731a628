from django.core.management.base import BaseCommand

from catalogue.reference import sync_reference_data


class Command(BaseCommand):
    help = "Create or update provinces (both eras) and the OCOP product taxonomy."

    def handle(self, *args, **options):
        (new_p, all_p), (new_c, all_c) = sync_reference_data()
        self.stdout.write(f"Provinces: {all_p} ({new_p} new). Categories: {all_c} ({new_c} new).")
