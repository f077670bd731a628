"""Head tags that make pages findable: canonical URL, Open Graph locale and JSON-LD blocks."""

import json
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from catalogue import languages
from catalogue.public_url import public_url

register = template.Library()

# Query parameters that only say where a visitor came from: the canonical URL drops them.
TRACKING_PARAMS = {"gclid", "fbclid", "msclkid", "yclid", "dclid", "mc_cid", "mc_eid", "_ga", "ref"}
# Inside <script> the HTML parser ends the block at "</script>" whatever JSON says, so these
# characters are written as JSON escapes, exactly as Django's json_script does. One str.replace
# each, not str.translate: on Vietnamese text translate looks every character up in a dict,
# some twenty times slower on a product page's few kilobytes.
SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def is_tracking(name):
    return name.startswith("utm_") or name in TRACKING_PARAMS


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The Wagtail page's full URL, or this path with its tracking parameters left out."""
    request = context.get("request")
    page = context.get("page")
    if hasattr(page, "get_full_url"):
        url = public_url(page.get_full_url(request))
        if url:
            return url
    if request is None:
        return ""
    kept = [(k, v) for k, values in request.GET.lists() if not is_tracking(k) for v in values]
    query = urlencode(sorted(kept)) if kept else ""
    return public_url(request.path) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def share_text(context, site_name, default_description):
    """(title, description) to share: what the view says, else the Wagtail page's SEO fields, else the site's."""
    page = context.get("page")
    title = (
        context.get("meta_title")
        or getattr(page, "document_title", "")
        or getattr(page, "seo_title", "")
        or getattr(page, "title", "")
    )
    description = context.get("meta_description") or getattr(page, "search_description", "")
    return title or site_name, description or default_description


@register.simple_tag
def og_locales(language_code):
    """(og:locale, [og:locale:alternate ...]) for the language the page is shown in."""
    language = (language_code or "vi").split("-")[0]
    current = OG_LOCALES.get(language, OG_LOCALES["vi"])
    return current, [locale for locale in OG_LOCALES.values() if locale != current]


@register.filter
def ld_json(data):
    """One <script type="application/ld+json"> block; a data block, never executed, so the CSP allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def language_versions(context, absolute=False):
    """This page in every language: the switcher's links (path and query kept) or, with
    absolute=True, the hreflang alternates (the canonical URL in each language)."""
    request = context.get("request")
    if request is None:
        return []
    return languages.versions(canonical_url(context) if absolute else request.get_full_path())


@register.filter
def neutral_url(url):
    """hreflang="x-default": the address without language, redirecting to the visitor's."""
    return languages.neutral_url(url)
