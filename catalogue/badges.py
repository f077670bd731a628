"""The live OCOP badge a producer embeds on their own website or shop listing.

Addresses live outside the language prefix (config/urls.py) and take `?lang=vi|en`
(Vietnamese when absent): one address per language that an <img> on another site can
name, whatever the visitor's cookies or browser language.

- /badges/<product id>.svg: follows the product's current record (its latest decision),
  so a renewal or an upgrade shows without the producer changing their snippet; a
  revoked or expired latest decision shows as such (the older decision it superseded
  never comes back, as in docs/visibility.md).
- /badges/records/<record id>.svg: one decision, which says "superseded" once replaced.
- /badges/<product id>/: the link around the badge, a redirect to that record's page.
- /badges/<product id>/qr.svg and qr.png: a QR code of that record's unprefixed address.

Stars are drawn only while the record is valid. Responses carry no cookie and no script, a
strict Content-Security-Policy, and a 5-minute lifetime that browsers and proxies must
revalidate: a revocation shows everywhere within 5 minutes, with no purge needed.
"""

import hashlib
import io
import math
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import qrcode
import qrcode.image.svg

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from .languages import without_language
from .models import Certification, ProductPage
from .params import plain_text, record_id
from .public_url import public_url

# How long a browser or proxy may reuse a badge before asking again: the longest a revoked
# certificate can still show as valid on a producer's website.
MAX_AGE = 300
# Only what the SVG needs: inline presentation, nothing fetched, no script.
BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"
# Fonts every system has, each with Vietnamese letters (Arial on Windows, macOS, iOS and as
# Android's alias of Roboto; Liberation Sans and DejaVu Sans on Linux): no webfont to fetch.
FONT_STACK = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
# The record page's colours (themes/static/css/site.css): green valid, brown expired, red revoked, ink otherwise.
COLOURS = {
    Certification.Status.VALID: "#1f6f43",
    Certification.Status.EXPIRED: "#8a5a00",
    Certification.Status.REVOKED: "#b3261e",
}
INK = "#1d2327"
MUTED = "#5b6770"
GOLD = "#d99a06"
# A product name longer than this is cut with an ellipsis, so the badge stays badge-sized.
NAME_LIMIT = 40
# Geometry, in pixels: text starts right of the coloured strip.
STRIP = 6
LEFT = STRIP + 12
RIGHT = 14
STAR_SIZE = 16
STAR_GAP = 2
MIN_WIDTH = 240
HEIGHT = 96
# Advance widths in em, a little above DejaVu Sans's (the widest font of FONT_STACK), so the
# text fits whichever font the reader's system picks; tests/catalogue/test_badges_browser.py
# measures it in Chromium with both ends of the stack.
EM_UPPER, EM_LOWER, EM_DIGIT, EM_SPACE, EM_OTHER, BOLD = 0.80, 0.64, 0.66, 0.34, 0.50, 1.10


@dataclass(frozen=True)
class Line:
    text: str
    y: int
    size: int
    bold: bool = False
    colour: str = INK
    x: int = LEFT


@dataclass(frozen=True)
class Badge:
    record: Certification
    status: str
    stars: int
    colour: str
    lines: tuple
    width: int
    language: str

    @property
    def label(self):
        """What a screen reader says: every line, stars included."""
        return ". ".join(line.text for line in self.lines)

    @property
    def strip_path(self):
        """The coloured strip down the left edge, rounded like the frame (radius STRIP)."""
        bottom = HEIGHT - 1
        edge = 1 + STRIP
        return f"M{edge} 1V{bottom}A{STRIP} {STRIP} 0 0 1 1 {bottom - STRIP}V{edge}A{STRIP} {STRIP} 0 0 1 {edge} 1Z"

    @property
    def star_polygons(self):
        return [_star(LEFT + i * (STAR_SIZE + STAR_GAP), 10) for i in range(self.stars)]


def language_from(request):
    """`?lang=vi|en`, Vietnamese when absent; any other value names no badge (404)."""
    language = request.GET.get("lang", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        raise Http404(gettext("Unknown language: use lang=vi or lang=en."))
    return language


def record_for(product):
    """The record a product's badge shows: its latest decision in effect by today (the
    current record, or the expired or revoked one that ended it); failing that, the first
    decision still to take effect. None for a product never certified."""
    records = product.certifications.all()
    signed = records.filter(signed_on__lte=timezone.localdate())
    return signed.order_by("-signed_on", "-pk").first() or records.order_by("signed_on", "pk").first()


def known_id(value):
    """`value` from the URL as an id, or 404 (a number past 64 bits would fail in the query)."""
    if record_id(value) is None:
        raise Http404(gettext("No badge has this address."))
    return value


def product_record(product_id):
    product = get_object_or_404(ProductPage, pk=known_id(product_id))
    record = record_for(product)
    if record is None:
        raise Http404(gettext("This product has no OCOP certification record."))
    return record


def build(record, language):
    """The badge of `record` in `language`, as of today."""
    with translation.override(language):
        status = record.status
        valid = status == Certification.Status.VALID
        stars = record.stars if valid else 0
        colour = COLOURS.get(status, INK)
        headline, detail = _wording(record, status)
        name = plain_text(record.product_name)
        if len(name) > NAME_LIMIT:
            name = name[: NAME_LIMIT - 1].rstrip() + "…"
        footer = gettext("Decision %(number)s · %(site)s") % {
            "number": plain_text(record.decision_number),
            "site": urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc,
        }
        star_run = stars * (STAR_SIZE + STAR_GAP) + (4 if stars else 0)
        lines = (
            Line(headline, 24, 15, bold=True, colour=colour, x=LEFT + star_run),
            Line(detail, 44, 13, colour=colour),
            Line(name, 64, 13, bold=True),
            Line(footer, 84, 11, colour=MUTED),
        )
        width = max(MIN_WIDTH, *(math.ceil(line.x + _estimated_width(line) + RIGHT) for line in lines))
        return Badge(record, status, stars, colour, lines, width, language)


def _wording(record, status):
    Status = Certification.Status
    if status == Status.VALID:
        # The date the record page gives as "Valid until", so a buyer comparing them sees one date.
        date = format_date(record.expires_on, "d/m/Y")
        return gettext("OCOP certified"), gettext("Valid until %(date)s") % {"date": date}
    if status == Status.EXPIRED:
        date = format_date(record.expires_on, "d/m/Y")
        return gettext("OCOP certificate expired"), gettext("Expired on %(date)s: no longer valid") % {"date": date}
    if status == Status.REVOKED:
        date = format_date(record.revoked_on, "d/m/Y")
        return gettext("OCOP certificate revoked"), gettext("Revoked on %(date)s: no longer valid") % {"date": date}
    if status == Status.SUPERSEDED:
        later = record.superseded_by
        detail = gettext("Replaced by decision %(number)s") % {"number": plain_text(later.decision_number)}
        return gettext("OCOP decision superseded"), detail
    if status == Status.NOT_YET_IN_FORCE:
        date = format_date(record.signed_on, "d/m/Y")
        return gettext("OCOP decision not yet in force"), gettext("Takes effect on %(date)s") % {"date": date}
    return gettext("Not OCOP certified"), gettext("Evaluated below the 3-star standard")


def _estimated_width(line):
    ems = 0.0
    for char in line.text:
        base = unicodedata.normalize("NFD", char)[0]
        if base == " ":
            ems += EM_SPACE
        elif base.isdigit():
            ems += EM_DIGIT
        elif base.isupper() or base in "mwMW":
            ems += EM_UPPER
        elif base.isalpha():
            ems += EM_LOWER
        else:
            ems += EM_OTHER
    return ems * line.size * (BOLD if line.bold else 1)


def _star(left, top):
    """A five-pointed star in a STAR_SIZE square: drawn, so no font needs to have ★."""
    centre_x, centre_y = left + STAR_SIZE / 2, top + STAR_SIZE / 2 + 1
    outer, inner = STAR_SIZE / 2, STAR_SIZE / 5
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{centre_x + radius * math.cos(angle):.1f},{centre_y - radius * math.sin(angle):.1f}")
    return " ".join(points)


def render_svg(badge):
    context = {"badge": badge, "height": HEIGHT, "radius": STRIP, "font": FONT_STACK, "gold": GOLD}
    return render_to_string("catalogue/badge.svg", context)


def embeddable(request, body, content_type, language=None):
    """A response any site may embed: short-lived, cookie-free, scriptless, revalidated by ETag."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = tag
    patch_cache_control(response, public=True, max_age=MAX_AGE, must_revalidate=True)
    response["Content-Security-Policy"] = BADGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if language:
        response["Content-Language"] = language
    return response


def product_badge(request, product_id):
    language = language_from(request)
    badge = build(product_record(product_id), language)
    return embeddable(request, render_svg(badge).encode(), "image/svg+xml; charset=utf-8", language)


def record_badge(request, pk):
    language = language_from(request)
    badge = build(get_object_or_404(Certification, pk=known_id(pk)), language)
    return embeddable(request, render_svg(badge).encode(), "image/svg+xml; charset=utf-8", language)


def product_record_page(request, product_id):
    """Where a click on the badge lands: the page of the record the badge shows, in `lang`."""
    language = language_from(request)
    record = product_record(product_id)
    with translation.override(language):
        response = HttpResponseRedirect(record.get_absolute_url())
    patch_cache_control(response, public=True, max_age=MAX_AGE, must_revalidate=True)
    return response


def record_address(record):
    """The record's public address without a language prefix: it opens in the reader's language."""
    return public_url(without_language(record.get_absolute_url()))


def product_qr(request, product_id, fmt):
    record = product_record(product_id)
    if fmt == "svg":
        image = qrcode.make(record_address(record), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        content_type = "image/svg+xml; charset=utf-8"
    else:
        image = qrcode.make(record_address(record), box_size=8)
        content_type = "image/png"
    buffer = io.BytesIO()
    image.save(buffer)
    return embeddable(request, buffer.getvalue(), content_type)


def snippet(product, language):
    """The HTML a producer pastes on their site for one language: the badge linking to the record."""
    query = "?" + urlencode({"lang": language})
    with translation.override(language):
        context = {
            "image": public_url(reverse("badges:product", args=[product.pk]) + query),
            "link": public_url(reverse("badges:product-record", args=[product.pk]) + query),
            "alt": gettext("OCOP certification of %(product)s: live status of its public record")
            % {"product": product.title},
        }
        return render_to_string("catalogue/badge_snippet.html", context).strip()
