"""The Vietnamese catalogs: complete, in step with the code and the compiled .mo, and served to visitors."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

BASE = Path(settings.BASE_DIR)
# The apps `make messages` runs makemessages for, from inside each app's folder; marketplace and
# config join when they have a catalog. The same extensions as the Makefile.
APPS = ["catalogue", "search", "themes", "marketplace", "config"]
EXTENSIONS = ["html", "txt", "py"]
SOURCE_SUFFIXES = {f".{ext}" for ext in EXTENSIONS}


def catalog(app):
    return BASE / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"


CATALOGS = [app for app in APPS if catalog(app).exists()]


def keys(entries):
    return {(entry.msgctxt, entry.msgid) for entry in entries if entry.msgid}


def test_the_main_catalogs_exist():
    assert {"catalogue", "search", "themes"} <= set(CATALOGS)


@pytest.mark.parametrize("app", CATALOGS)
def test_catalog_has_no_untranslated_or_fuzzy_message(app):
    # msgfmt -c also checks the header and that every placeholder of a msgid is in its msgstr.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: `make system-deps` installs gettext"
    run = subprocess.run(  # noqa: S603 (the system's msgfmt on our own catalog)
        [msgfmt, "--statistics", "-c", "-o", "/dev/null", str(catalog(app))], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    statistics = run.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics
    po = polib.pofile(str(catalog(app)))
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("app", CATALOGS)
def test_catalog_holds_every_string_of_the_code(app, tmp_path, monkeypatch):
    """makemessages over a copy of the app finds no msgid the committed catalog lacks, and none it no longer uses."""
    copy = tmp_path / app
    for path in (BASE / app).rglob("*"):
        relative = path.relative_to(BASE / app)
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and not {"locale", "__pycache__"} & set(relative.parts):
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy / relative)
    (copy / "locale").mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["vi"], extensions=EXTENSIONS, no_obsolete=True, verbosity=0)
    fresh = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    in_code = keys(polib.pofile(str(fresh))) if fresh.exists() else set()
    committed = keys(polib.pofile(str(catalog(app))))
    missing = sorted(in_code - committed, key=str)
    assert not missing, f"Not in {app}'s catalog (run `make messages` and translate): {missing}"
    stale = sorted(committed - in_code, key=str)
    assert not stale, f"In {app}'s catalog but no longer in its code (run `make messages`): {stale}"


@pytest.mark.parametrize("app", CATALOGS)
def test_compiled_catalog_matches_the_po(app):
    po = polib.pofile(str(catalog(app)))
    mo_path = catalog(app).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    mo = polib.mofile(str(mo_path))

    def translations(entries):
        return {
            (e.msgctxt, e.msgid): e.msgstr or tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
            for e in entries
            if e.msgid
        }

    assert translations(mo) == translations(po.translated_entries()), f"{mo_path} is stale: run `make messages`"


@pytest.fixture
def home(site_tree):
    return site_tree[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "expected", "absent"),
    [
        ({}, ["Được đánh giá cao nhất", "Tra cứu giấy chứng nhận", "Sàn OCOP"], ["Top rated"]),
        ({"HTTP_ACCEPT_LANGUAGE": "vi"}, ["Được đánh giá cao nhất", "Mới đăng"], ["Newly listed"]),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, ["Top rated", "Verify a certificate", "Newly listed"], ["Mới đăng"]),
    ],
    ids=["default", "vi", "en"],
)
def test_home_page_speaks_the_visitors_language(client, home, headers, expected, absent):
    with override_settings(LANGUAGE_CODE="vi"):
        # The old unprefixed address picks the language from the browser, then the prefix keeps it.
        html = client.get("/", follow=True, **headers).content.decode()
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


@pytest.mark.django_db
def test_search_page_in_vietnamese_by_default_and_english_on_request(client, site_tree):
    with override_settings(LANGUAGE_CODE="vi"):
        vi = client.get("/vi/search/", {"stars": "9", "sort": "bogus"}).content.decode()
        en = client.get("/en/search/", {"stars": "9"}).content.decode()
    assert "Duyệt sản phẩm được công nhận" in vi
    assert "Số sao phải là 3, 4 hoặc 5; đang hiển thị mọi hạng sao." in vi
    assert "Cách sắp xếp không hợp lệ; đang sắp xếp theo mức độ phù hợp." in vi
    assert ">Mức độ phù hợp</option>" in vi
    assert "Browse certified products" not in vi
    assert "Browse certified products" in en
    assert "Stars must be 3, 4 or 5; showing every star class." in en
    assert ">Relevance</option>" in en
