"""`manage.py setup_site`: a fresh production site's page tree, without the demo loader.

These tests use no `site_tree` fixture: the database is what `migrate` leaves (Wagtail's
welcome page and a localhost Site), as on a new server.
"""

import io
from pathlib import Path

import pytest

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page, Site

from catalogue.models import HomePage, ProductIndexPage, ProductPage
from marketplace.collections.models import ProductCollectionIndexPage
from marketplace.fairs.models import FairIndexPage
from marketplace.records.annexes.errors import FileError
from marketplace.records.annexes.importer import import_decisions
from tests.conftest import restore_migrated_site
from tests.factories import agency_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _as_migrated():
    """A database a transactional test flushed (in this run, or in the run that left a
    `--reuse-db` database) lost what migrate left; each test gets it back, rolled back after."""
    restore_migrated_site()


SAMPLES = Path(__file__).resolve().parents[2] / "marketplace" / "records" / "examples"


def setup_site():
    out = io.StringIO()
    call_command("setup_site", stdout=out)
    return out.getvalue()


def test_setup_site_builds_the_tree_in_both_languages_once():
    assert not HomePage.objects.exists()
    welcome = Site.objects.get(is_default_site=True).root_page

    output = setup_site()

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(pk=welcome.pk).exists()  # Wagtail's install page is gone
    indexes = [ProductIndexPage.objects.get(), FairIndexPage.objects.get(), ProductCollectionIndexPage.objects.get()]
    for page in indexes:
        assert page.live and page.get_parent().pk == home.pk
        assert page.title and page.title_en and page.title != page.title_en
        assert page.intro and page.intro_en
    assert [p.slug for p in indexes] == ["products", "fairs", "collections"]
    assert output.count("Created ") == 4, output
    assert "/products/" in output and "Products" in output
    assert "4 pages created" in output

    pages = Page.objects.count()
    again = setup_site()
    assert Page.objects.count() == pages
    assert "Created " not in again and "nothing created" in again


def test_setup_site_keeps_what_the_agency_edited():
    setup_site()
    index = ProductIndexPage.objects.get()
    index.title_en = "OCOP catalogue"
    index.save_revision().publish()
    setup_site()
    assert ProductIndexPage.objects.get().title_en == "OCOP catalogue"


def test_importer_without_products_page_names_the_setup_step():
    content = (SAMPLES / "decisions-sample.csv").read_bytes()
    with pytest.raises(FileError, match="setup_site"):
        import_decisions(content, "decisions-sample.csv", None, dry_run=False)


def test_fresh_site_setup_then_import_serves_products_in_both_languages():
    setup_site()
    agency = agency_user()  # the Agency group comes from setup_site
    content = (SAMPLES / "decisions-sample.csv").read_bytes()
    report = import_decisions(content, "decisions-sample.csv", agency, dry_run=False)
    assert report.committed, report.errors

    honey = ProductPage.objects.get(title="Mật ong rừng Tiên Phước")
    assert honey.get_parent().specific_class is ProductIndexPage
    honey.save_revision(user=agency).publish()  # the producer completes it, the agency approves

    client = Client()
    for language in ("vi", "en"):
        page = client.get(f"/{language}/products/{honey.slug}/")
        assert page.status_code == 200, (language, page.status_code)
        assert "Tiên Phước" in page.content.decode()
        listing = client.get(f"/{language}/products/")
        assert listing.status_code == 200 and honey.slug in listing.content.decode()
        for path in ("fairs", "collections"):
            assert client.get(f"/{language}/{path}/").status_code == 200, (language, path)
    assert "OCOP fairs" in client.get("/en/fairs/").content.decode()
    assert "Hội chợ OCOP" in client.get("/vi/fairs/").content.decode()
