"""The buyer's side of sample orders: the order form, the private order page with its VietQR code,
the card payment's start, the review of a delivered sample, and Stripe's webhook."""

import logging

from csp.decorators import csp_update

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue.models import ProductPage, Province

from ..pipeline import submission
from ..pipeline.private import private
from ..shared import wards
from . import payments, reviews, services, vietqr, webhooks
from .forms import CONSENT_NOTICE, ReviewForm, SampleOrderForm
from .models import OrderState, SampleOrder, SampleOrderSettings, ShippingZone

logger = logging.getLogger(__name__)


def _refused(request, reason, status, product=None):
    return render(request, "marketplace/order_refused.html", {"reason": reason, "product": product}, status=status)


@require_http_methods(["GET", "POST"])
def order_sample(request, page_id):
    product = ProductPage.objects.filter(pk=page_id).select_related("producer").first()
    if product is None:
        return _refused(request, gettext("There is no such product."), 404)
    if not product.is_visible():
        return _refused(
            request,
            gettext(
                "“%(title)s” is not listed at the moment (its OCOP certificate is not in force), so samples "
                "cannot be ordered."
            )
            % {"title": product.localized_name},
            410,
            product,
        )
    if not product.offers_samples:
        return _refused(
            request,
            gettext("The producer does not offer samples of “%(title)s”.") % {"title": product.localized_name},
            410,
            product,
        )
    order_settings = SampleOrderSettings.load()
    card_enabled = payments.card_enabled()

    def make_form(data=None, initial=None):
        return SampleOrderForm(
            data, initial=initial, product=product, order_settings=order_settings, card_enabled=card_enabled
        )

    def render_page(form, status):
        context = {
            "form": form,
            "product": product,
            "consent_notice": CONSENT_NOTICE,
            "order_settings": order_settings,
            "zones": ShippingZone.objects.all(),
            "card_enabled": card_enabled,
        }
        return render(request, "marketplace/order_form.html", context, status=status)

    if request.method == "POST" and ("show_wards" in request.POST or "pick_commune" in request.POST):
        # The form's own steps, which never place an order: list the chosen province's wards, or
        # take the ward picked among the candidates. What was typed comes back as it was.
        typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
        if "pick_commune" in request.POST:
            typed["commune"] = request.POST["pick_commune"]
        return render_page(make_form(initial=typed), 200)

    def save(form):
        order = services.place(form, product)
        if form.ward_notice:
            messages.info(request, form.ward_notice)
        return order

    return submission.handle(
        request,
        model=SampleOrder,
        make_form=make_form,
        save=save,
        sent=lambda order: redirect("orders:detail", order.access_token),
        render_page=render_page,
        rate_group="orders",
        by_email=False,
        rate_message=gettext(
            "You have sent many orders in a short time. Please wait an hour and try "
            "again; what you typed is kept below."
        ),
    )


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def province_wards(request, province_id):
    """The current communes and wards of a current province, for site.js to offer as the commune's
    suggestions: public reference data, the same for everyone, so caches may keep it a day."""
    province = Province.objects.current().filter(pk=province_id).first()
    if province is None:
        return JsonResponse({"error": gettext("There is no such province.")}, status=404)
    return JsonResponse({"province": province.name, "wards": list(wards.names(province.code))})


def _order_or_404(request, token):
    order = SampleOrder.objects.filter(access_token=token).select_related("province").first() if token else None
    if order is None:
        reason = gettext("This link does not lead to an order: it may be mistyped.")
        return None, private(_refused(request, reason, 404))
    return order, None


def detail(request, token):
    order, missing = _order_or_404(request, token)
    if missing:
        return missing
    order_settings = SampleOrderSettings.load()
    payable = order.state == OrderState.PENDING
    context = {
        "order": order,
        "order_settings": order_settings,
        "payable": payable,
        "card_enabled": payments.card_enabled(),
        "transitions": order.transitions.all(),
        "checkout": request.GET.get("checkout", ""),
        "review": reviews.SampleReview.objects.filter(order=order).first(),
    }
    if payable:
        payload = vietqr.for_order(order, order_settings)
        context["qr_payload"] = payload
        # The SVG comes from qrcode with our own payload (digits and letters only), not from the buyer.
        context["qr_svg"] = mark_safe(vietqr.svg(payload))  # noqa: S308
    response = private(render(request, "marketplace/order_detail.html", context))
    if payable and context["card_enabled"]:
        # The card form's POST is answered by a redirect to Stripe's hosted page, which the
        # browser checks against this page's form-action: allow Stripe's origin, on this page only.
        response = csp_update({"form-action": [settings.STRIPE_CHECKOUT_ORIGIN]})(lambda: response)()
    return response


@require_POST
def pay_by_card(request, token):
    order, missing = _order_or_404(request, token)
    if missing:
        return missing
    if not payments.card_enabled():
        messages.error(request, gettext("Card payments are not available. Please pay by bank transfer."))
        return redirect("orders:detail", token)
    if order.state != OrderState.PENDING:
        messages.error(
            request,
            gettext("This order is “%(state)s”: there is nothing to pay.") % {"state": order.get_state_display()},
        )
        return redirect("orders:detail", token)
    try:
        url = payments.checkout_url(order)
    except payments.StripeUnavailable:
        messages.error(
            request,
            gettext(
                "The card payment service cannot be reached right now. Your order is kept and still "
                "waits for payment: try again in a few minutes, or pay by bank transfer below."
            ),
        )
        return redirect("orders:detail", token)
    return redirect(url)


@require_http_methods(["GET", "POST"])
def review(request, token):
    """The buyer rates a delivered sample, once; the link is the order's private one."""
    order, missing = _order_or_404(request, token)
    if missing:
        return missing
    existing = reviews.SampleReview.objects.filter(order=order).first()
    context = {"order": order, "review": existing}
    if existing is None:
        try:
            reviews.check_reviewable(order)
        except reviews.NotReviewable as refusal:
            return private(_review_refused(request, order, refusal))
    if request.method == "POST" and existing is None:
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                context["review"] = reviews.write(order, form.cleaned_data, translation.get_language() or "vi")
            except reviews.NotReviewable as refusal:
                return private(_review_refused(request, order, refusal))
            messages.success(request, gettext("Thank you: your review is published."))
            return private(redirect("orders:review", token))
        return private(render(request, "marketplace/review_form.html", {**context, "form": form}, status=400))
    if request.method == "POST":
        return private(_review_refused(request, order, reviews.NotReviewable(reviews.ALREADY_REVIEWED, 409)))
    context["form"] = ReviewForm() if existing is None else None
    return private(render(request, "marketplace/review_form.html", context))


def _review_refused(request, order, refusal):
    context = {"order": order, "reason": refusal.message}
    return render(request, "marketplace/review_refused.html", context, status=refusal.status)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: a forged or stale signature or a malformed event gets 400; the rest is acknowledged."""
    try:
        event = webhooks.verify(request.body, request.headers.get("Stripe-Signature", ""))
    except webhooks.BadSignature as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("invalid signature", content_type="text/plain")
    except webhooks.MalformedEvent as error:
        logger.warning("Stripe webhook refused, malformed event: %s", error)
        return HttpResponseBadRequest(f"malformed event: {error}", content_type="text/plain")
    outcome = webhooks.handle(event)
    return HttpResponse(outcome, content_type="text/plain")
