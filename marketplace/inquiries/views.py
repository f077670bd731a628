"""The buyer's side: ask about a product, send a sourcing request, follow the private thread."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalogue.models import ProductPage

from ..pipeline import submission
from ..pipeline.private import private
from . import follow_up, services
from .forms import CONSENT_NOTICE, ProductInquiryForm, SourcingRequestForm, ThreadReplyForm
from .models import Inquiry, InquiryMessage


def _handle(request, form_class, template, context, kind, product=None, form_kwargs=None):
    form_kwargs = form_kwargs or {}

    def make_form(data=None, initial=None):
        return form_class(data, initial=initial, **form_kwargs)

    def render_page(form, status):
        return render(request, template, {**context, "form": form, "consent_notice": CONSENT_NOTICE}, status=status)

    return submission.handle(
        request,
        model=Inquiry,
        make_form=make_form,
        save=lambda form: services.submit(form, product=product, kind=kind),
        sent=lambda inquiry: redirect("inquiries:sent", inquiry.thread_token),
        render_page=render_page,
        rate_group=submission.REQUESTS_BUDGET,
        rate_message=gettext(
            "You have sent many inquiries in a short time. Please wait an hour and try again; "
            "what you typed is kept below."
        ),
    )


@require_http_methods(["GET", "POST"])
def product_inquiry(request, page_id):
    product = ProductPage.objects.filter(pk=page_id).select_related("producer").first()
    if product is None:
        return render(
            request, "marketplace/inquiry_refused.html", {"reason": gettext("There is no such product.")}, status=404
        )
    if not product.is_visible():
        reason = gettext(
            "“%(title)s” is not listed at the moment (its OCOP certificate is not in force), so it cannot "
            "receive inquiries. You can send a sourcing request instead."
        ) % {"title": product.localized_name}
        return render(request, "marketplace/inquiry_refused.html", {"reason": reason, "product": product}, status=410)
    return _handle(
        request,
        ProductInquiryForm,
        "marketplace/inquiry_form_page.html",
        {"product": product},
        Inquiry.Kind.PRODUCT,
        product=product,
        form_kwargs={"product": product},
    )


@require_http_methods(["GET", "POST"])
def sourcing_request(request):
    return _handle(request, SourcingRequestForm, "marketplace/sourcing_form.html", {}, Inquiry.Kind.SOURCING)


def sent(request, token):
    inquiry, missing = _thread_or_404(request, token)
    if missing:
        return missing
    return private(render(request, "marketplace/inquiry_sent.html", {"inquiry": inquiry}))


def _thread_or_404(request, token):
    inquiry = Inquiry.objects.filter(thread_token=token, erased_at__isnull=True).first() if token else None
    if inquiry is None:
        reason = gettext("This link does not lead to an inquiry: it may be mistyped, or the inquiry was erased.")
        return None, private(render(request, "marketplace/inquiry_refused.html", {"reason": reason}, status=404))
    return inquiry, None


@require_http_methods(["GET", "POST"])
def thread(request, token):
    inquiry, missing = _thread_or_404(request, token)
    if missing:
        return missing
    status = 200
    form = ThreadReplyForm()
    if request.method == "POST":
        form = ThreadReplyForm(request.POST)
        if submission.rate_limited(request, submission.REQUESTS_BUDGET):
            form.is_valid()
            form.add_error(None, gettext("You have sent many messages in a short time. Please wait and try again."))
            status = 429
        elif form.is_valid():
            body = form.cleaned_data["body"]
            last = inquiry.messages.filter(author=InquiryMessage.Author.BUYER).last()
            if last is None or last.body != body:  # a double click sends it once
                services.buyer_answer(inquiry, body)
            messages.success(request, gettext("Your answer was sent to the producer."))
            return redirect("inquiries:thread", token)
    context = {
        "inquiry": inquiry,
        "thread_messages": inquiry.messages.select_related("producer"),
        "stage": follow_up.stage(inquiry),
        "form": form,
        "erase_url": reverse("inquiries:erase", args=[token]),
    }
    return private(render(request, "marketplace/thread.html", context, status=status))


@require_http_methods(["GET", "POST"])
def erase(request, token):
    inquiry, missing = _thread_or_404(request, token)
    if missing:
        return missing
    if request.method == "POST":
        reference = inquiry.reference
        inquiry.erase_personal_data()
        return private(render(request, "marketplace/erased.html", {"reference": reference}))
    return private(render(request, "marketplace/erase_confirm.html", {"inquiry": inquiry}))
