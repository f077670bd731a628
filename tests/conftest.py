import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by the test itself (building data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    """`--reuse-db` (make test-fast) on SQLite: the test database lives in a file under .pytest_cache/,
    since Django's default in-memory one dies with the process (pytest-django adds the worker's suffix)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    reusable = config.getvalue("reuse_db") and config.pluginmanager.has_plugin("cacheprovider")
    test = database.setdefault("TEST", {})
    if reusable and database["ENGINE"].endswith("sqlite3") and not test.get("NAME"):
        test["NAME"] = str(config.cache.mkdir("reused-db") / "sqlite3")
        # A scratch file: no fsync on each commit (migrations, transactional tests).
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` run in the PostgreSQL pass of `make test`, not the SQLite one.
    Under pytest-xdist (`--dist loadgroup`), tests are grouped onto one worker where they share
    something costly: see `xdist_group`."""
    from django.db import connection

    # Without pytest-xdist (-p no:xdist) the marker is unknown to --strict-markers.
    for item in items if config.pluginmanager.has_plugin("xdist") else ():
        group = xdist_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def xdist_group(item):
    """The worker group a test belongs to, or None to let xdist send it anywhere.

    Browser tests share one worker, so one Chromium at a time competes for the cores with the
    other worker's tests. A test using a fixture set up once per module (the demo catalogue in
    search/test_relevance.py, per engine) stays with the module's other tests for that fixture,
    so the fixture is built once per run rather than once per worker.
    """
    if item.get_closest_marker("browser"):
        return "browser"
    callspec = getattr(item, "callspec", None)
    for name in item.fixturenames:
        for fixturedef in item._fixtureinfo.name2fixturedefs.get(name, ()):
            if fixturedef.scope == "module":
                param = callspec.params.get(name) if callspec else None
                return f"{item.module.__name__}::{name}" + (f"[{param}]" if param is not None else "")
    return None


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language: a request (LocaleMiddleware) leaves
    its language active in the thread, which would otherwise leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _page_tree_read_again():
    """Every test starts with a new page tree version (catalogue.page_tree) and without the home
    page's kept lists: a test's rolled-back pages, sites and records send no signal, and the
    test cache outlives the test."""
    from django.core.cache import cache

    from catalogue.models.products import HOME_LISTS_KEY
    from catalogue.page_tree import VERSION_KEY

    cache.delete_many([VERSION_KEY, HOME_LISTS_KEY])


@pytest.fixture
def english(_default_language):
    """English outside requests too: reverse() and page.url give /en/ addresses, gettext English.
    For tests that assert the English source strings (_default_language resets it afterwards)."""
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def english_client():
    """A test client whose browser asks for English (the admin and unprefixed addresses follow it)."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Provinces and taxonomy come from a data migration; transactional tests flush them."""
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    restore_reference_data()


def restore_reference_data():
    """What the data migrations made and a flush (a transactional test, here or in the run that
    left a `--reuse-db` database) removed: provinces and taxonomy, Wagtail's Locale and root
    collection. A module-scoped fixture, set up before the autouse one, calls it itself."""
    from catalogue.models import Province
    from catalogue.reference import sync_reference_data

    if not Province.objects.exists():
        sync_reference_data()
    from django.conf import settings

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():  # every image and document goes into it
        Collection.add_root(name="Root")


def restore_migrated_site():
    """Wagtail's page tree as its initial migration leaves it, for a test of a fresh install on a
    flushed database: the root, the welcome page under it and the localhost Site serving it."""
    from wagtail.models import Page, Site

    if Site.objects.exists():
        return
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction", False))
    )


@pytest.fixture
def site_tree(db):
    """Home page as the default site root and the /products/ index under it."""
    from wagtail.models import Page

    from catalogue.demo.loader import ensure_site

    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root")
    home, index = ensure_site()
    return home, index


@pytest.fixture
def product_index(site_tree):
    return site_tree[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}
