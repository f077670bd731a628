from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.records.annexes.errors import FileError, RowError
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.annexes.rows import Decision
from marketplace.records.annexes.values import check_signing_date, parse_date


class Command(BaseCommand):
    help = (
        "Import a decision's annex (CSV or XLSX), a dry run unless --commit. Give the decision with "
        "--number, --signed-on and --issuing-body when the rows do not carry it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run only).")
        parser.add_argument("--number", default="", help="Decision number, e.g. 1567/QĐ-UBND.")
        parser.add_argument("--signed-on", default="", help="Signing date, yyyy-mm-dd or dd/mm/yyyy.")
        parser.add_argument("--issuing-body", default="", help="e.g. UBND tỉnh Đồng Tháp.")

    def handle(self, path, commit=False, number="", signed_on="", issuing_body="", **options):
        file = Path(path)
        decision = None
        if number or signed_on or issuing_body:
            if not (number and signed_on and issuing_body):
                raise CommandError("Give --number, --signed-on and --issuing-body together.")
            try:
                date = parse_date(signed_on)
                check_signing_date(date)
            except RowError as exc:
                raise CommandError(str(exc)) from exc
            decision = Decision(number, date, issuing_body)
        try:
            report = import_decisions(file.read_bytes(), file.name, dry_run=not commit, decision=decision)
        except (FileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for row in report.not_imported:
            self.stdout.write(f"Row {row.line} ({row.state}): " + " ".join(row.reasons))
        state = "imported" if report.committed else "dry run, nothing written"
        held = " Rows not imported are held for the agency to complete in the admin." if report.committed else ""
        self.stdout.write(f"{file.name} ({state}): {report.summary}{held if report.not_imported else ''}")
