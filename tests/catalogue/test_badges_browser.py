"""In Chromium: the badge renders inside another site's page, its QR code scans to the
record, and its text fits the frame in both languages with either end of the font stack."""

import datetime
import functools
import http.server
import subprocess
import threading

import pytest

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CertificationFactory, certified_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_site(tmp_path):
    """A producer's own website: static files served from another origin (127.0.0.1, its own port)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_badge_and_its_qr_code_render_on_another_sites_page(page, live_server, site_tree, other_site, tmp_path):
    _home, index = site_tree
    product = certified_product(index, stars=5, title="Nước mắm Phú Quốc", slug="nuoc-mam-phu-quoc")
    record = product.certifications.get()
    folder, origin = other_site
    badge = f"{live_server.url}{reverse('badges:product', args=[product.pk])}"
    link = f"{live_server.url}{reverse('badges:product-record', args=[product.pk])}"
    qr = f"{live_server.url}{reverse('badges:product-qr-svg', args=[product.pk])}"
    (folder / "shop.html").write_text(
        "<!doctype html><html lang=vi><meta charset=utf-8><title>Shop</title>"
        "<link rel=icon href='data:,'><body style='margin:20px'>"
        f"<a id=vi href='{link}?lang=vi'><img src='{badge}?lang=vi' alt='OCOP'></a>"
        f"<a id=en href='{link}?lang=en'><img src='{badge}?lang=en' alt='OCOP'></a>"
        f"<p><img id=qr src='{qr}' alt='QR' width=240 height=240></p></body></html>",
        encoding="utf-8",
    )
    failures = []
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("console", lambda message: failures.append(message.text) if message.type == "error" else None)

    page.goto(f"{origin}/shop.html")
    page.wait_for_load_state("networkidle")
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert all(complete and width > 0 and height > 0 for complete, width, height in sizes), sizes
    assert sizes[0][1] >= 240 and sizes[0][2] == 96
    assert not failures

    # A click on the badge opens the record's page in the snippet's language.
    page.click("#en")
    assert page.url == f"{live_server.url}/en/certifications/{record.pk}/"

    # The QR code, as a phone's camera reads it off the producer's page.
    page.goto(f"{origin}/shop.html")
    shot = tmp_path / "qr.png"
    page.locator("#qr").screenshot(path=str(shot))
    decoded = subprocess.run(  # noqa: S603 (Debian's zbarimg, fixed arguments)
        ["/usr/bin/zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver/certifications/{record.pk}/"


LONG_NAME = "ĐẶC SẢN MẮM TÔM CHUA HUẾ NGUYÊN CHẤT LOẠI ĐẶC BIỆT"


def badges_in_every_state(index):
    """SVG bodies of the badge in each state, both languages, with a long Vietnamese name in capitals."""
    today = timezone.localdate()
    valid = certified_product(index, stars=5, slug="valid", title=LONG_NAME)
    expired = certified_product(index, slug="expired", title=LONG_NAME, signed_on=today - datetime.timedelta(days=1200))
    revoked = certified_product(index, slug="revoked", title=LONG_NAME, revoked_on=today)
    below = certified_product(index, stars=2, slug="below", title=LONG_NAME)
    future = certified_product(index, slug="future", title=LONG_NAME, signed_on=today + datetime.timedelta(days=9))
    old = valid.certifications.get()
    CertificationFactory(product=valid, stars=5, signed_on=today, decision_number="12345/QĐ-UBND-KTTH")
    client = Client()
    urls = [reverse("badges:product", args=[p.pk]) for p in (valid, expired, revoked, below, future)]
    urls.append(reverse("badges:record", args=[old.pk]))
    return [client.get(url, {"lang": lang}).content.decode() for url in urls for lang in ("vi", "en")]


@pytest.mark.parametrize("font", ["Liberation Sans", "DejaVu Sans"])
def test_the_text_fits_the_badge_in_every_state_and_language(page, site_tree, font):
    _home, index = site_tree
    svgs = badges_in_every_state(index)
    assert any("Quyết định OCOP đã bị thay thế" in svg for svg in svgs)
    page.set_content("<!doctype html><meta charset=utf-8><body>" + "".join(svgs))
    overflow = page.evaluate(
        """font => [...document.querySelectorAll("svg")].flatMap(svg => {
            svg.setAttribute("font-family", font);
            const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
            return [...svg.querySelectorAll("text")].map(text => {
                const box = text.getBBox();
                return [text.textContent, box.x + box.width, width, box.y, box.y + box.height, height];
            }).filter(([, right, width, top, bottom, height]) => right > width - 8 || top < 2 || bottom > height - 2);
        })""",
        font,
    )
    assert not overflow, overflow
