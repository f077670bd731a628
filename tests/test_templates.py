"""Templates link by `{% url %}`, `{% pageurl %}`, `get_absolute_url` or `{% static %}`, never by a typed path."""

import re
from pathlib import Path

import pytest

from django.apps import apps
from django.conf import settings

# An attribute whose value starts with "/" and then anything but a template tag or variable.
TYPED_PATH = re.compile(r"""\b(?:href|action|src|data-autocomplete)=["']/(?![{])""")


def project_templates():
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    # The project's own apps sit at its top level; a virtualenv inside it holds only third-party ones.
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs() if Path(app.path).resolve().parent == base]
    return sorted({path for d in dirs if d.is_dir() for path in d.rglob("*") if path.suffix in {".html", ".txt"}})


def test_the_project_has_templates_to_check():
    names = {path.relative_to(settings.BASE_DIR).as_posix() for path in project_templates()}
    assert "themes/templates/base.html" in names
    assert any(name.startswith("marketplace/templates/") for name in names)


@pytest.mark.parametrize(
    ("markup", "typed"),
    [
        ('<a href="/search/">', True),
        ("<form action='/verify/'>", True),
        ('<a href="/producers/{{ producer.slug }}/">', True),
        ('<img src="/static/css/site.css">', True),
        ("<a href=\"{% url 'search:search' %}\">", False),
        ('<a href="{{ record.get_absolute_url }}">', False),
        ('<a href="?page=2">', False),
        ('<a href="https://example.org/">', False),
    ],
)
def test_the_rule_tells_typed_paths_from_reversed_ones(markup, typed):
    assert bool(TYPED_PATH.search(markup)) == typed


def test_no_template_types_an_internal_path():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in project_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TYPED_PATH.search(line)
    ]
    assert not offenders, "Use {% url %}, {% pageurl %}, get_absolute_url or {% static %}:\n" + "\n".join(offenders)
