"""schema.org JSON-LD for product, producer and home pages, and the image each page shares.

Every builder is handed only what the page itself shows, which is already limited to visible
products: nothing here queries products on its own, so a hidden product cannot slip in.
"""

import html
import unicodedata

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.images.models import Filter

from . import ratings
from .bilingual import ENGLISH
from .public_url import public_url

SCHEMA = "https://schema.org"
SHARE_RENDITION = "fill-1200x630"  # the size Open Graph and Twitter large cards ask for
# Built once: a Filter parses its operations on first use, which costs more than finding the rendition.
SHARE_FILTER = Filter(SHARE_RENDITION)
DESCRIPTION_CHARS = 300


def plain(text, chars=DESCRIPTION_CHARS):
    """Rich text or plain text as one short plain-text line (NFC, as Truncator gives it)."""
    flat = unicodedata.normalize("NFC", " ".join(html.unescape(strip_tags(text or "")).split()))
    # Truncator weighs every character (combining marks count for nothing): a text no longer
    # than `chars` in code points is never cut, so only a longer one needs it.
    return flat if len(flat) <= chars else Truncator(flat).chars(chars)


def share_image(image, request, alt=""):
    """{url, width, height, alt} of an absolute share-size rendition, or None (no image, or its file is gone)."""
    if image is None:
        return None
    try:
        # get_renditions, not get_rendition: the latter writes the rendition to the cache on
        # every call, even one found among those prefetched with the page (a Redis SET per view).
        rendition = image.get_renditions(SHARE_FILTER)[SHARE_RENDITION]
    except OSError:  # Wagtail's SourceImageIOError: the original file is missing
        return None
    return {
        # A storage on another host (a CDN) gives an absolute URL: only the site's own paths take its address.
        "url": public_url(rendition.url) if rendition.url.startswith("/") else rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt,
    }


def breadcrumbs(trail):
    """BreadcrumbList from [(name, absolute url), ...], the last item being the page itself."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def home_crumb(request):
    return (_("Home"), public_url(reverse("wagtail_serve", args=[""])))


def product_list(products, request):
    """ItemList of product pages (a carousel to search engines): only the products passed in."""
    return {
        "@context": SCHEMA,
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "url": public_url(product.get_full_url(request)),
                "name": product.localized_name,
            }
            for n, product in enumerate(products, start=1)
        ],
    }


def postal_address(street="", locality="", region=""):
    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    for key, value in (("streetAddress", street), ("addressLocality", locality), ("addressRegion", region)):
        if value:
            address[key] = value
    return address


def organization(producer, request, context=True):
    data = {"@context": SCHEMA} if context else {}
    data.update(
        {
            "@type": "Organization",
            "name": producer.name,
            "url": public_url(producer.get_absolute_url()),
            "address": postal_address(
                producer.address_line, producer.commune, producer.province.name if producer.province_id else ""
            ),
        }
    )
    if producer.registration_number:
        data["taxID"] = producer.registration_number
    if producer.localized_description:
        data["description"] = plain(producer.localized_description)
    if producer.website:
        data["sameAs"] = [producer.website]
    logo = share_image(producer.logo, request) if producer.logo_id else None
    if logo:
        data["logo"] = logo["url"]
    return data


def ocop_certification(record, request):
    """The OCOP decision as schema.org Certification (the type hasCertification expects, schema.org v25+)."""
    return {
        "@type": "Certification",
        "name": _("OCOP %(stars)s-star product") % {"stars": record.stars},
        "url": public_url(record.get_absolute_url()),
        "certificationIdentification": record.decision_number,
        "issuedBy": {"@type": "Organization", "name": record.issuing_body},
        "certificationRating": {"@type": "Rating", "ratingValue": record.stars, "bestRating": 5, "worstRating": 1},
        "certificationStatus": f"{SCHEMA}/CertificationActive",
        "validFrom": record.signed_on.isoformat(),
        "expires": record.expires_on.isoformat(),
    }


def offer(page, url):
    """Offer (or AggregateOffer for a range) of the indicative price in VND; None when no price is given."""
    low, high = page.price_min_vnd, page.price_max_vnd
    if not low and not high:
        return None
    if low and high and low != high:
        return {"@type": "AggregateOffer", "priceCurrency": "VND", "lowPrice": low, "highPrice": high, "url": url}
    return {"@type": "Offer", "priceCurrency": "VND", "price": low or high, "url": url}


def rating(value):
    return {"@type": "Rating", "ratingValue": value, "bestRating": ratings.BEST, "worstRating": ratings.WORST}


def buyer_ratings(summary):
    """aggregateRating and review of a product, or {} under the threshold (a few reviews say too little)."""
    if summary is None or not summary.enough:
        return {}
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": round(summary.overall, 1),
            "bestRating": ratings.BEST,
            "worstRating": ratings.WORST,
            "ratingCount": summary.count,
            "reviewCount": summary.count,
        },
        "review": [
            {
                "@type": "Review",
                "reviewRating": rating(round(review.rating, 1)),
                "author": {"@type": "Person", "name": review.author},
                "datePublished": review.published.isoformat(),
                "reviewBody": plain(review.body, chars=1000),
            }
            for review in summary.latest
        ],
    }


def product(page, record, image, request, url):
    """Product JSON-LD for a visible product page (at `url`, its public address) and its
    current record, in the page's language."""
    name, description = page.localized_name, page.localized_description
    if page.search_description and name.lang != ENGLISH:
        description = page.search_description  # written in Vietnamese, like the title
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": name,
        "url": url,
        "description": plain(description),
        "category": page.category.localized_name,
        "brand": {"@type": "Brand", "name": page.producer.name},
        "manufacturer": organization(page.producer, request, context=False),
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    if page.alternate_name:
        data["alternateName"] = page.alternate_name
    if image:
        data["image"] = [image["url"]]
    if page.hs_code:
        data["additionalProperty"] = [{"@type": "PropertyValue", "name": _("HS code"), "value": page.hs_code}]
    if record:
        data["hasCertification"] = ocop_certification(record, request)
    price = offer(page, url)
    if price:
        data["offers"] = price
    data.update(buyer_ratings(ratings.for_product(page)))
    return data


def product_breadcrumbs(page, request, url):
    search = public_url(reverse("search:search"))
    category = page.category
    trail = [home_crumb(request)]
    group = category.group
    if group and group.pk != category.pk:
        trail.append((group.localized_name, f"{search}?category={group.slug}"))
    trail.append((category.localized_name, f"{search}?category={category.slug}"))
    trail.append((page.localized_name, url))
    return breadcrumbs(trail)


def product_page(page, record, request):
    """(JSON-LD blocks, share image) for a product page."""
    image = share_image(page.main_image, request, alt=page.localized_name)
    url = public_url(page.get_full_url(request))  # Wagtail works it out anew each time: once
    return [product(page, record, image, request, url), product_breadcrumbs(page, request, url)], image


def producer_page(producer, request):
    """(JSON-LD blocks, share image) for a producer page."""
    data = organization(producer, request)
    crumbs = breadcrumbs([home_crumb(request), (producer.name, data["url"])])
    return [data, crumbs], share_image(producer.logo, request, alt=producer.name) if producer.logo_id else None


def home_page(page, featured, request):
    """WebSite with its search box, and the featured products the page lists."""
    site = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": _("OCOP Marketplace"),
        "url": public_url(page.get_full_url(request)),
        "inLanguage": ["vi", "en"],
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": public_url(reverse("search:search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return [site, product_list(featured, request)]
