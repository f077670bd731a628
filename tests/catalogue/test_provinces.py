import importlib
import json
import sys

import pytest

from django.apps import apps
from django.core.management import call_command

from catalogue.models import Province

pytestmark = pytest.mark.django_db

# New code: old codes merged into it (DOMAIN.md, Resolution 202/2025/QH15).
MERGERS = {
    8: [2, 8], 15: [10, 15], 19: [6, 19], 24: [24, 27], 25: [17, 25, 26], 31: [30, 31], 33: [33, 34],
    37: [35, 36, 37], 44: [44, 45], 48: [48, 49], 51: [51, 62], 52: [52, 64], 56: [56, 58], 66: [54, 66],
    68: [60, 67, 68], 75: [70, 75], 79: [74, 77, 79], 80: [72, 80], 82: [82, 87], 86: [83, 84, 86],
    91: [89, 91], 92: [92, 93, 94], 96: [95, 96],
}  # fmt: skip
UNCHANGED = [1, 4, 11, 12, 14, 20, 22, 38, 40, 42, 46]


def test_both_eras_are_loaded_from_the_package():
    assert Province.objects.current().count() == 34
    assert Province.objects.legacy().count() == 63


def test_every_legacy_province_maps_to_its_current_successor():
    for new_code, old_codes in MERGERS.items():
        for old_code in old_codes:
            legacy = Province.objects.legacy().get(code=old_code)
            assert legacy.successor.code == new_code, legacy
    for code in UNCHANGED:
        assert Province.objects.legacy().get(code=code).successor.code == code
    assert not Province.objects.legacy().filter(successor__isnull=True).exists()


def test_a_code_names_different_provinces_in_each_era():
    assert Province.objects.current().get(code=15).name == "Lào Cai"
    assert Province.objects.legacy().get(code=15).name == "Yên Bái"
    assert Province.objects.current().get(code=24).name == "Bắc Ninh"
    assert Province.objects.legacy().get(code=24).name == "Bắc Giang"


def test_slugs_are_ascii_names_with_hyphens():
    slugs = set(Province.objects.current().values_list("slug", flat=True))
    assert {"ha-noi", "da-nang", "ho-chi-minh", "hue", "dak-lak", "can-tho"} <= slugs
    assert Province.objects.legacy().get(code=77).slug == "ba-ria-vung-tau"


def test_a_legacy_slug_resolves_to_its_successor():
    province, legacy = Province.objects.by_slug("quang-nam")
    assert province.slug == "da-nang"
    assert legacy.name == "Quảng Nam"
    # A name used in both eras means the current province.
    province, legacy = Province.objects.by_slug("ha-noi")
    assert province.is_current and legacy is None
    assert Province.objects.by_slug("atlantis") == (None, None)


def test_sync_is_idempotent(capsys):
    from catalogue.reference import sync_reference_data

    (created_p, total_p), (created_c, total_c) = sync_reference_data()
    assert (created_p, total_p) == (0, 97)
    assert created_c == 0
    call_command("sync_reference_data")
    assert capsys.readouterr().out.strip() == "Tỉnh/thành phố: 97 (0 mới). Nhóm sản phẩm: 38 (0 mới)."


def test_the_reference_migration_reads_only_its_data_file(monkeypatch):
    # Blocked imports raise ImportError: the migration must run without the package or the live loader.
    for name in [m for m in sys.modules if m.startswith("vietnam_provinces")] + [
        "vietnam_provinces",
        "catalogue.reference",
    ]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "catalogue.migrations.0002_reference_data", raising=False)
    migration = importlib.import_module("catalogue.migrations.0002_reference_data")
    Province.objects.filter(era=Province.Era.LEGACY, code=49).update(name="renamed")

    migration.load(apps, None)

    assert Province.objects.legacy().get(code=49).name == "Quảng Nam"
    assert Province.objects.count() == 97
    frozen = json.loads(migration.DATA_FILE.read_text(encoding="utf-8"))
    assert len([p for p in frozen["provinces"] if p["era"] == "current"]) == 34
    assert len([p for p in frozen["provinces"] if p["era"] == "legacy"]) == 63


def test_the_frozen_data_file_is_what_the_installed_package_gives(tmp_path):
    from catalogue.reference import frozen_rows, package_rows

    # On a package upgrade this fails: bring the change in with a new data file and data migration.
    assert package_rows() == frozen_rows()
    call_command("sync_reference_data", "--dump", str(tmp_path / "rows.json"))
    assert json.loads((tmp_path / "rows.json").read_text(encoding="utf-8")) == frozen_rows()
