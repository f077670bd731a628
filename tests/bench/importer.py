"""`make bench-import`: time the decision importer on a generated annex: dry run, import, re-import (rows/s).

    python -m tests.bench.importer [--rows 2000]

Run on a scratch database (its name must contain "bench"): it imports the annex.
"""

import argparse
import csv
import datetime
import io
import os
import sys
import time

import django

# manage.py's settings; DATABASE_URL names the scratch database (make bench-import).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 (the apps load once Django is set up above)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from catalogue.demo.loader import ensure_site  # noqa: E402
from catalogue.lookups import reference  # noqa: E402
from marketplace.accounts.roles import setup_roles  # noqa: E402
from marketplace.records.annexes.importer import import_decisions  # noqa: E402
from marketplace.records.annexes.rows import Decision  # noqa: E402

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


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Time a generated annex through the importer (scratch databases only: make bench-import)."
    )
    parser.add_argument("--rows", type=int, default=2000)
    rows = parser.parse_args(argv).rows

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to write to {name}: run it on a scratch database (make bench-import).")
    agency, _producers = setup_roles(*ensure_site())
    # As the admin imports: by an agency user, whom every log entry and revision names.
    user, _created = get_user_model().objects.get_or_create(
        username="bench-agency@example.vn", defaults={"email": "bench-agency@example.vn"}
    )
    user.groups.add(agency)
    content = annex(rows)
    decision = Decision("2000/QĐ-UBND", datetime.date(2025, 9, 1), "UBND thành phố Hà Nội")
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{rows}-row annex on {connection.vendor}, task backend {backend}:")
    for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
        start, cpu = time.perf_counter(), time.process_time()
        report = import_decisions(content, "bench.csv", user, dry_run=dry_run, decision=decision)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        held = len(report.not_imported)
        # CPU time too: on a shared machine the wall clock also counts other people's work.
        print(f"  {label:<10} {elapsed:6.1f} s  {rows / elapsed:7.0f} rows/s  (CPU {cpu:5.1f} s; {held} not imported)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
