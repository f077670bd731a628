"""Every main public page is valid HTML by the Nu HTML checker (vnu), in both site languages.

All pages are rendered first and checked in one vnu run, so the JVM starts once.
"""

import json
import shutil
import subprocess

import pytest

from .page_tour import FORMS, LANGUAGES, VNU_JAR, fresh_rate_limits, load_demo_site, main_pages

pytestmark = pytest.mark.django_db

JAVA = shutil.which("java") or "/usr/bin/java"


def test_the_checker_is_installed():
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` (make install does it)"


def vnu_errors(files):
    run = subprocess.run(  # noqa: S603 (the machine's Java and our pinned vnu.jar, fixed arguments)
        [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(run.stderr)["messages"]


def test_the_checker_reports_an_invalid_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><span aria-label="x">★</span>', encoding="utf-8")
    errors = vnu_errors([bad])
    assert any("aria-label" in e["message"] for e in errors), errors


# Over 10 s: the demo catalogue, every main page in both languages, then one JVM start of the checker.
def test_every_main_page_is_valid_html(client, site_tree, tmp_path):
    load_demo_site()
    fresh_rate_limits()
    files = []
    for language in LANGUAGES:
        pages = main_pages(language)
        visits = [(name, path, "get") for name, path in pages]
        visits += [(f"{name}-errors", path, "post") for name, path in pages if name in FORMS]
        for name, path, method in visits:
            response = getattr(client, method)(path)
            assert response.status_code == 200, (name, path, response.status_code)
            if method == "post":
                assert b'aria-invalid="true"' in response.content, name
            assert response["Content-Language"] == language, (name, response["Content-Language"])
            # Screen readers pick their voice from <html lang>: it must follow the language served.
            assert f'<html lang="{language}">' in response.content.decode(), name
            file = tmp_path / f"{language}-{name}.html"
            file.write_bytes(response.content)
            files.append(file)
    errors = vnu_errors(files)
    report = "\n".join(
        f"{e['url'].rsplit('/', 1)[-1]}:{e.get('lastLine', '?')}: {e['message']}  [{e.get('extract', '').strip()}]"
        for e in errors
    )
    assert not errors, f"{len(errors)} HTML errors:\n{report}"
