"""Sample reviews in the Wagtail admin: producers read and answer reviews of their own products in
public; the agency reads them all and hides one (with a reason) or shows it again."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producer_ids_for

from ..shared.admin_pages import AdminPage
from . import reviews
from .forms import HideForm, ReplyForm
from .reviews import SampleReview


def reviews_for(user):
    if is_agency(user):
        return SampleReview.objects.all()
    ids = producer_ids_for(user)
    return SampleReview.objects.filter(order__producer_id__in=ids) if ids else SampleReview.objects.none()


def can_reply(user, review):
    """The reply is the producer's own voice: only the accounts of the product's producer write it."""
    return not is_agency(user) and review.order.producer_id in producer_ids_for(user)


class ReviewListView(AdminPage):
    page_title = _("Sample reviews")
    header_icon = "openquote"
    template_name = "marketplace/admin/sample_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = reviews_for(self.request.user).select_related("order", "order__producer")
        tab = self.request.GET.get("show", "all")
        if tab == "hidden":
            scope = scope.filter(hidden=True)
        elif tab == "unanswered":
            scope = scope.filter(reply="")
        else:
            tab = "all"
        context.update(
            tab=tab,
            tabs=[("all", _("All")), ("unanswered", _("Not answered")), ("hidden", _("Hidden"))],
            page=Paginator(scope, 50).get_page(self.request.GET.get("page")),
            is_agency=is_agency(self.request.user),
        )
        return context


class ReviewDetailView(AdminPage):
    header_icon = "openquote"
    parent_crumb = ("marketplace_sample_reviews", _("Sample reviews"))
    template_name = "marketplace/admin/sample_review_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Another producer's review answers 404, exactly like one that does not exist.
            self.review = get_object_or_404(
                reviews_for(request.user).select_related("order", "order__producer", "order__product"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Review of %(reference)s") % {"reference": self.review.order.reference}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            review=self.review,
            is_agency=is_agency(user),
            can_reply=can_reply(user, self.review),
            reply_form=kwargs.get("reply_form") or ReplyForm(initial={"reply": self.review.reply}),
            hide_form=kwargs.get("hide_form") or HideForm(),
            history=self.review.moderation.select_related("user"),
        )
        return context

    def post(self, request, pk):
        review, user = self.review, request.user
        action = request.POST.get("action", "")
        if action == "reply":
            if not can_reply(user, review):
                messages.error(request, gettext("Only the producer of this product replies to its reviews."))
                return redirect("marketplace_sample_review", pk)
            form = ReplyForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(reply_form=form), status=400)
            reviews.save_reply(review, user, form.cleaned_data["reply"].strip())
            messages.success(request, gettext("Your reply is published."))
            return redirect("marketplace_sample_review", pk)
        if action in ("hide", "show"):
            if not is_agency(user):
                messages.error(request, gettext("Only the agency moderates reviews."))
                return redirect("marketplace_sample_review", pk)
            if action == "hide":
                form = HideForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(hide_form=form), status=400)
                step = reviews.moderate(review, user, hide=True, reason=form.cleaned_data["reason"])
            else:
                step = reviews.moderate(review, user, hide=False, reason=(request.POST.get("reason") or "").strip())
            if step is None:
                messages.warning(request, gettext("Nothing changed: the review was already so."))
            else:
                done = {"action": step.get_action_display()}
                messages.success(request, gettext("The review is now “%(action)s”.") % done)
            return redirect("marketplace_sample_review", pk)
        messages.error(request, gettext("Unknown action."))
        return redirect("marketplace_sample_review", pk)
