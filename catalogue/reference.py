"""Reference data every database needs: provinces of both eras and the OCOP taxonomy.

Provinces come from the `vietnam-provinces` package (current units, the 63 legacy
provinces and the 2025 conversion table), never typed by hand.
"""

import re
from collections import Counter

from anyascii import anyascii
from vietnam_provinces import Province as CurrentUnit
from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW
from vietnam_provinces.legacy import Province as LegacyUnit

from .taxonomy import TAXONOMY

_PREFIX = re.compile(r"^(Tỉnh|Thành phố)\s+")


def _short_name(full_name):
    return _PREFIX.sub("", full_name)


def _slug(short_name):
    return re.sub(r"[^a-z0-9]+", "-", anyascii(short_name).lower()).strip("-")


def _successor_code(old_code):
    """The current province a legacy one became part of.

    One legacy province (Tiền Giang) lent a few communes to a neighbour; the package
    lists both targets, so the successor is the one that received most of its wards.
    """
    targets = [ref.code for ref in OLD_TO_NEW[old_code].new_provinces]
    if len(targets) == 1:
        return targets[0]
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW

    received = Counter(
        new.province_code
        for entry in WARDS_OLD_TO_NEW.values()
        if entry.old_ward.province_code == old_code
        for new in entry.new_wards
    )
    return received.most_common(1)[0][0]


def sync_provinces(Province):
    """Create or update the 34 current and 63 legacy provinces; returns (created, total)."""
    created = 0
    current_by_code = {}
    for unit in CurrentUnit.iter_all():
        name = _short_name(unit.name)
        obj, was_created = Province.objects.update_or_create(
            code=int(unit.code),
            era="current",
            defaults={"name": name, "full_name": unit.name, "name_ascii": anyascii(name), "slug": _slug(name)},
        )
        current_by_code[obj.code] = obj
        created += was_created
    for unit in LegacyUnit.iter_all():
        name = _short_name(unit.name)
        successor_code = _successor_code(int(unit.code))
        _, was_created = Province.objects.update_or_create(
            code=int(unit.code),
            era="legacy",
            defaults={
                "name": name,
                "full_name": unit.name,
                "name_ascii": anyascii(name),
                "slug": _slug(name),
                "successor": current_by_code[successor_code],
            },
        )
        created += was_created
    return created, Province.objects.count()


def sync_taxonomy(Category):
    """Create or update the groups and sub-groups of Decision 148/2023; returns (created, total)."""
    created = 0
    by_code = {}
    for code, slug, name, name_en in TAXONOMY:
        parent = by_code.get(code.rsplit(".", 1)[0]) if "." in code else None
        obj, was_created = Category.objects.update_or_create(
            code=code, defaults={"slug": slug, "name": name, "name_en": name_en, "parent": parent}
        )
        by_code[code] = obj
        created += was_created
    return created, Category.objects.count()


def sync_reference_data():
    from .models import Category, Province

    return sync_provinces(Province), sync_taxonomy(Category)
