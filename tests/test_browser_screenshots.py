"""In a real browser: screenshots of the home, search, product and fair pages at desktop and phone
widths in both languages; each is a PNG, and no page scrolls sideways on a phone.

The files go to bench-results/screenshots/; with SCREENSHOTS_DIR set (e.g. docs/screenshots) they
are written there instead, which is how the README's pictures are refreshed.
"""

import mimetypes
import os
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .page_tour import LANGUAGES, load_demo_site, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ("home", "search", "product", "fair")
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BROWSER_LOCALES = {"vi": "vi-VN", "en": "en-US"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# How far the page reaches sideways beyond the window, and the elements that stick out.
OVERFLOW = """() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className)
})"""


def screenshot_dir():
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or Path(settings.BASE_DIR) / "bench-results" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def serve_media(route):
    # The live server (DEBUG off) does not serve uploads; the browser reads them from MEDIA_ROOT, as a proxy would.
    relative = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?", 1)[0]
    path = Path(settings.MEDIA_ROOT) / relative
    if path.is_file():
        route.fulfill(path=str(path), content_type=mimetypes.guess_type(path.name)[0])
    else:
        route.fulfill(status=404)


# Over 10 s: the demo catalogue, then every main page rendered and captured at phone and desktop widths.
def test_main_pages_screenshots_and_no_sideways_scroll_on_a_phone(browser, live_server, site_tree):
    load_demo_site()
    # A plain query shows a page of result cards (the tour's search has every filter on and one result).
    folder = screenshot_dir()
    overflowing, written = [], []
    for language in LANGUAGES:
        with translation.override(language):
            pages = [
                (name, f"{reverse('search:search')}?{urlencode({'q': 'mật ong'})}" if name == "search" else path)
                for name, path in main_pages(language)
                if name in PAGES
            ]
        assert [name for name, _ in pages] == list(PAGES)
        for viewport_name, viewport in VIEWPORTS.items():
            context = browser.new_context(
                viewport=viewport,
                locale=BROWSER_LOCALES[language],
                extra_http_headers={"Accept-Language": language},
            )
            context.route(f"**{settings.MEDIA_URL}**", serve_media)
            page = context.new_page()
            for name, path in pages:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (name, path)
                assert page.get_attribute("html", "lang") == language, name
                page.wait_for_load_state("load")
                target = folder / f"{name}-{viewport_name}-{language}.png"
                # A 256-colour palette keeps each picture around 100 KB for docs/screenshots.
                Image.open(BytesIO(page.screenshot())).quantize(256).save(target, optimize=True)
                written.append(target)
                if viewport_name == "phone":
                    measured = page.evaluate(OVERFLOW)
                    if measured["scroll"] > measured["inner"]:
                        overflowing.append(f"{language} {name}: {measured}")
            context.close()
    for target in written:
        data = target.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, target
    assert len(written) == len(PAGES) * len(VIEWPORTS) * len(LANGUAGES)
    assert not overflowing, "\n".join(overflowing)
