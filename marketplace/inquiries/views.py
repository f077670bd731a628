"""The buyer's side: ask about a product, send a sourcing request, follow the private thread."""

import uuid

from django_ratelimit.core import is_ratelimited

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalogue.models import ProductPage

from . import services
from .forms import CONSENT_NOTICE, ProductInquiryForm, SourcingRequestForm, ThreadReplyForm, sign_started
from .models import Inquiry, InquiryMessage


def fresh_initial():
    return {"started": sign_started(), "form_token": uuid.uuid4()}


def _email_key(group, request):
    return (request.POST.get("email") or "").strip().lower()[:254]


def rate_limited(request):
    """Per address and per email, counted on every send that is not a resubmit."""
    if is_ratelimited(
        request, group="inquiries:ip", key="ip", rate=settings.INQUIRY_RATE_PER_IP, method="POST", increment=True
    ):
        return True
    if not _email_key(None, request):
        return False
    return is_ratelimited(
        request,
        group="inquiries:email",
        key=_email_key,
        rate=settings.INQUIRY_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )


def _submitted(request):
    try:
        return services.find_submitted(uuid.UUID(request.POST.get("form_token", "")))
    except ValueError:
        return None


def _refresh_hidden(form):
    """After a failed send, keep what was typed but replace a bad or missing stamp or token."""
    if "started" in form.errors or any(e.code == "started" for e in form.non_field_errors().as_data()):
        form.data = form.data.copy()
        form.data["started"] = sign_started()
    if "form_token" in form.errors:
        form.data = form.data.copy()
        form.data["form_token"] = str(uuid.uuid4())


def _handle(request, form_class, template, context, kind, product=None, form_kwargs=None):
    form_kwargs = form_kwargs or {}
    status = 200
    if request.method == "POST":
        first = _submitted(request)
        if first is not None:  # a double click or the browser's resend: the first inquiry stands
            return redirect("inquiries:sent", first.form_token)
        form = form_class(request.POST, **form_kwargs)
        if rate_limited(request):
            form.is_valid()
            form.add_error(
                None,
                gettext(
                    "You have sent many inquiries in a short time. Please wait an hour and try again; "
                    "what you typed is kept below."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                inquiry = services.submit(form, product=product, kind=kind)
            except services.DuplicateSubmission as duplicate:
                inquiry = duplicate.inquiry
            return redirect("inquiries:sent", inquiry.form_token)
        _refresh_hidden(form)
    else:
        form = form_class(initial=fresh_initial(), **form_kwargs)
    return render(request, template, {**context, "form": form, "consent_notice": CONSENT_NOTICE}, status=status)


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


def sent(request, form_token):
    inquiry = get_object_or_404(Inquiry, form_token=form_token, erased_at__isnull=True)
    return render(request, "marketplace/inquiry_sent.html", {"inquiry": inquiry})


def _private(response):
    # The link is the buyer's key: never sent to another site in a Referer, never indexed.
    # ("no-referrer" would also make the browser send Origin: null, which fails the CSRF check.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _thread_or_404(request, token):
    inquiry = Inquiry.objects.filter(thread_token=token, erased_at__isnull=True).first() if token else None
    if inquiry is None:
        reason = gettext("This link does not lead to an inquiry: it may be mistyped, or the inquiry was erased.")
        return None, _private(render(request, "marketplace/inquiry_refused.html", {"reason": reason}, status=404))
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
        if rate_limited(request):
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
        "form": form,
        "erase_url": reverse("inquiries:erase", args=[token]),
    }
    return _private(render(request, "marketplace/thread.html", context, status=status))


@require_http_methods(["GET", "POST"])
def erase(request, token):
    inquiry, missing = _thread_or_404(request, token)
    if missing:
        return missing
    if request.method == "POST":
        reference = inquiry.reference
        inquiry.erase_personal_data()
        return _private(render(request, "marketplace/erased.html", {"reference": reference}))
    return _private(render(request, "marketplace/erase_confirm.html", {"inquiry": inquiry}))
