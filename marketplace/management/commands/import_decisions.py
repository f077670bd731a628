from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.imports import FileError, import_decisions


class Command(BaseCommand):
    help = "Import a CSV or XLSX list of certification decisions (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run only).")

    def handle(self, path, commit=False, **options):
        file = Path(path)
        try:
            report = import_decisions(file.read_bytes(), file.name, dry_run=not commit)
        except (FileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for row in report.errors:
            self.stdout.write(f"Row {row.line}: " + " ".join(row.errors))
        state = "imported" if report.committed else ("dry run, nothing written" if commit is False else "NOT imported")
        self.stdout.write(f"{file.name} ({state}): {report.summary}")
        if report.errors:
            raise CommandError("Fix the rows above; nothing was written.")
