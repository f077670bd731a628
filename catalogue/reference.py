"""Reference data every database needs: provinces of both eras and the OCOP taxonomy.

Provinces come from the `vietnam-provinces` package (current units, the 63 legacy
provinces and the 2025 conversion table), never typed by hand. Migrations never read the
package: `manage.py sync_reference_data --dump FILE` freezes what it gives into a data
file, and a data migration loads that file, so a package upgrade cannot change what an
old migration does. Running the command without --dump brings an upgrade in deliberately.
"""

import json
import re
from collections import Counter
from pathlib import Path

from anyascii import anyascii
from vietnam_provinces import Province as CurrentUnit
from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW
from vietnam_provinces.legacy import Province as LegacyUnit

from .models import Category, Province
from .taxonomy import TAXONOMY
from .text import slugify

# The rows catalogue/migrations/0002_reference_data.py loads.
FROZEN_FILE = Path(__file__).parent / "migrations" / "reference_2025.json"

_PREFIX = re.compile(r"^(Tỉnh|Thành phố)\s+")


def _short_name(full_name):
    return _PREFIX.sub("", full_name)


def _successor_code(old_code):
    """The current province a legacy one became part of.

    One legacy province (Tiền Giang) lent a few communes to a neighbour; the package
    lists both targets, so the successor is the one that received most of its wards.
    """
    targets = [ref.code for ref in OLD_TO_NEW[old_code].new_provinces]
    if len(targets) == 1:
        return targets[0]
    # The ward table is large and only this one province needs it.
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW

    received = Counter(
        new.province_code
        for entry in WARDS_OLD_TO_NEW.values()
        if entry.old_ward.province_code == old_code
        for new in entry.new_wards
    )
    return received.most_common(1)[0][0]


def _province_row(unit, era, successor):
    name = _short_name(unit.name)
    return {
        "code": int(unit.code),
        "era": era,
        "name": name,
        "full_name": unit.name,
        "name_ascii": anyascii(name),
        "slug": slugify(name),
        "successor": successor,
    }


def _parent_code(code):
    """1.4.a -> 1.4; a group has no parent."""
    return code.rsplit(".", 1)[0] if "." in code else None


def package_rows():
    """{"provinces": [...], "categories": [...]} as the installed package and TAXONOMY give them."""
    provinces = [_province_row(unit, "current", None) for unit in CurrentUnit.iter_all()]
    provinces += [_province_row(unit, "legacy", int(_successor_code(int(unit.code)))) for unit in LegacyUnit.iter_all()]
    categories = [
        {"code": code, "slug": slug, "name": name, "name_en": name_en, "parent": _parent_code(code)}
        for code, slug, name, name_en in TAXONOMY
    ]
    return {"provinces": provinces, "categories": categories}


def frozen_rows():
    """The rows the reference-data migration loads."""
    return json.loads(FROZEN_FILE.read_text(encoding="utf-8"))


def dump_rows(rows, path):
    """Write rows as the migrations' data file: one row per line, so a diff shows what changed."""
    lines = ["{"]
    for i, (table, items) in enumerate(rows.items()):
        lines.append(f"{json.dumps(table)}: [")
        lines += [
            json.dumps(item, ensure_ascii=False) + ("," if j < len(items) - 1 else "") for j, item in enumerate(items)
        ]
        lines.append("]" + ("," if i < len(rows) - 1 else ""))
    lines.append("}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def sync_reference_data(rows=None):
    """Create or update provinces and categories from rows (the frozen file by default).

    Returns ((provinces created, total), (categories created, total)).
    """
    rows = frozen_rows() if rows is None else rows
    created = 0
    current = {}
    for row in sorted(rows["provinces"], key=lambda r: r["era"] != "current"):
        fields = {k: v for k, v in row.items() if k not in ("code", "era", "successor")}
        if row["successor"] is not None:
            fields["successor"] = current[row["successor"]]
        province, was_created = Province.objects.update_or_create(code=row["code"], era=row["era"], defaults=fields)
        if province.era == "current":
            current[province.code] = province
        created += was_created
    provinces = (created, Province.objects.count())

    created = 0
    by_code = {}
    for row in rows["categories"]:
        fields = {"slug": row["slug"], "name": row["name"], "name_en": row["name_en"]}
        fields["parent"] = by_code[row["parent"]] if row["parent"] else None
        by_code[row["code"]], was_created = Category.objects.update_or_create(code=row["code"], defaults=fields)
        created += was_created
    return provinces, (created, Category.objects.count())
