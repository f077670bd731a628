"""In Chromium: a lot's printable label, as printed, carries a QR code that reads back to the lot's
unprefixed address (which opens in the scanner's language)."""

import subprocess

import pytest

from tests.factories import certified_product
from tests.marketplace.lot_helpers import make_lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Over 10 s on PostgreSQL when the machine is loaded: a live server and the transactional flush around it.
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_printed_label_scans_to_the_lots_address(page, live_server, site_tree, tmp_path, language):
    _home, index = site_tree
    lot = make_lot(certified_product(index, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe"))
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/{language}/lots/{lot.pk}/label/")
    label = page.locator(".lot-label")
    assert "NM2026-031" in label.inner_text()
    # Printed, the page is the label alone: no header, footer or instructions.
    assert not page.locator(".site-header").is_visible() and not page.locator(".no-print").is_visible()
    shot = tmp_path / "label.png"
    label.screenshot(path=str(shot))
    decoded = subprocess.run(  # noqa: S603 (Debian's zbarimg, fixed arguments)
        ["/usr/bin/zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver/lots/{lot.pk}/"
    # The scanned address, opened, answers in the phone's language.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/lots/{lot.pk}/")
    assert page.url.startswith(f"{live_server.url}/") and page.url.endswith(f"/lots/{lot.pk}/")
    assert page.locator("h1").inner_text().endswith("NM2026-031")
