from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.reference import dump_rows, package_rows, sync_reference_data


class Command(BaseCommand):
    help = gettext_lazy(
        "Create or update provinces (both eras) and the OCOP product taxonomy from the vietnam-provinces "
        "package, or with --dump write what the package gives to a data file for a new data migration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dump", metavar="FILE", help=gettext_lazy("Write the rows to FILE; the database is untouched.")
        )

    def handle(self, *args, dump=None, **options):
        rows = package_rows()
        if dump:
            dump_rows(rows, dump)
            self.stdout.write(
                _("Wrote %(provinces)s provinces and %(categories)s categories to %(file)s.")
                % {"provinces": len(rows["provinces"]), "categories": len(rows["categories"]), "file": dump}
            )
            return
        (new_p, all_p), (new_c, all_c) = sync_reference_data(rows)
        self.stdout.write(
            _("Provinces: %(all_p)s (%(new_p)s new). Categories: %(all_c)s (%(new_c)s new).")
            % {"all_p": all_p, "new_p": new_p, "all_c": all_c, "new_c": new_c}
        )
