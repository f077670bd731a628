"""Time the decision importer on a generated annex: dry run, import and re-import, in rows per second."""

import csv
import datetime
import io
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalogue.demo.loader import ensure_site
from catalogue.lookups import reference
from marketplace.imports import Decision, import_decisions
from marketplace.roles import setup_roles

PREFIXES = ["HTX", "Công ty TNHH", "Công ty cổ phần", "Hộ kinh doanh", "Tổ hợp tác", "Hợp tác xã"]
WORDS = ["Hoà", "Bình", "An", "Phú", "Thuỷ", "Tân", "Mỹ", "Long", "Khánh", "Thịnh", "Hưng", "Phước"]


def annex(rows):
    """A Hà Nội annex: STT and Vietnamese headers, no legal form or province column, some rows without address."""
    leaves = [c.code for c in reference().categories if c.code.count(".") == 2]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP (bench)"])
    writer.writerow(["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Phân nhóm", "Hạng sao"])
    for n in range(1, rows + 1):
        producer_number = (n + 2) // 3  # most producers hold two or three products
        prefix = PREFIXES[producer_number % len(PREFIXES)]
        name = f"{prefix} {WORDS[producer_number % 12]} {WORDS[producer_number // 12 % 12]} {producer_number}"
        address = "" if n % 7 == 0 else f"Thôn {n % 9 + 1}, xã {WORDS[n % 12]} {WORDS[(n // 12) % 12]}"
        writer.writerow([n, f"Sản phẩm {WORDS[n % 12]} số {n}", name, address, leaves[n % len(leaves)], 3 + n % 2])
    return buffer.getvalue().encode()


class Command(BaseCommand):
    help = "Time a generated annex through the importer (scratch databases only: make bench-import)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)

    def handle(self, rows, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to write to {name}: run it on a scratch database (make bench-import).")
        agency, _producers = setup_roles(*ensure_site())
        # As the admin imports: by an agency user, whom every log entry and revision names.
        user, _created = get_user_model().objects.get_or_create(
            username="bench-agency@example.vn", defaults={"email": "bench-agency@example.vn"}
        )
        user.groups.add(agency)
        content = annex(rows)
        decision = Decision("2000/QĐ-UBND", datetime.date(2025, 9, 1), "UBND thành phố Hà Nội")
        backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(f"{rows}-row annex on {connection.vendor}, task backend {backend}:")
        for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
            start, cpu = time.perf_counter(), time.process_time()
            report = import_decisions(content, "bench.csv", user, dry_run=dry_run, decision=decision)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            held = len(report.not_imported)
            # CPU time too: on a shared machine the wall clock also counts other people's work.
            self.stdout.write(
                f"  {label:<10} {elapsed:6.1f} s  {rows / elapsed:7.0f} rows/s  (CPU {cpu:5.1f} s; {held} not imported)"
            )
