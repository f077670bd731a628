"""{% inquiry_form page %}: the request-for-quotation form at the end of a product page."""

from django import template

from marketplace.inquiries.forms import CONSENT_NOTICE, ProductInquiryForm
from marketplace.pipeline.submission import fresh_initial

register = template.Library()


@register.inclusion_tag("marketplace/includes/inquiry_form_body.html", takes_context=True)
def inquiry_form(context, page):
    form = ProductInquiryForm(initial=fresh_initial(), product=page)
    return {
        "form": form,
        "product": page,
        "consent_notice": CONSENT_NOTICE,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
