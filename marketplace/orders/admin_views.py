"""Sample orders in the Wagtail admin: producers see and ship their own, the agency sees all,
confirms transfers, cancels and refunds."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producer_ids_for
from catalogue.params import plain_text, record_id

from ..outbox import sending
from ..shared import spreadsheets
from ..shared.admin_pages import AdminPage
from . import payments, services
from .forms import NoteForm, ShipForm
from .models import OrderState, SampleOrder
from .states import IllegalTransition, allowed_steps


def orders_for(user):
    if is_agency(user):
        return SampleOrder.objects.all()
    ids = producer_ids_for(user)
    return SampleOrder.objects.filter(producer_id__in=ids) if ids else SampleOrder.objects.none()


def filtered(request, orders):
    tab = request.GET.get("state", "all")
    if tab in OrderState.values:
        orders = orders.filter(state=tab)
    else:
        tab = "all"
    q = plain_text(request.GET.get("q"), 100)
    if q:
        match = Q(name__icontains=q) | Q(email__icontains=q) | Q(product_title__icontains=q) | Q(company__icontains=q)
        number = q.upper().replace("SMP", "").replace("-", "")[-6:]
        if (pk := record_id(number)) is not None:
            match |= Q(pk=pk)
        orders = orders.filter(match)
    return tab, q, orders


class OrderListView(AdminPage):
    page_title = _("Sample orders")
    header_icon = "pick"
    template_name = "marketplace/admin/sample_orders.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = orders_for(self.request.user)
        tab, q, orders = filtered(self.request, scope)
        counts = {state: scope.filter(state=state).count() for state in OrderState.values}
        tabs = [("all", _("All"), sum(counts.values()))] + [(s, label, counts[s]) for s, label in OrderState.choices]
        context.update(
            tabs=tabs,
            tab=tab,
            q=q,
            page=Paginator(orders.select_related("producer"), 50).get_page(self.request.GET.get("page")),
            is_agency=is_agency(self.request.user),
        )
        return context


# Who may take which step: producers ship and mark delivered their own orders; the rest is the agency's.
PRODUCER_STEPS = {OrderState.SHIPPED, OrderState.DELIVERED}


class OrderDetailView(AdminPage):
    header_icon = "pick"
    parent_crumb = ("marketplace_sample_orders", _("Sample orders"))
    template_name = "marketplace/admin/sample_order_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Another producer's order answers 404, exactly like one that does not exist.
            self.order = get_object_or_404(
                orders_for(request.user).select_related("producer", "province"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.order.reference

    def steps(self):
        agency = is_agency(self.request.user)
        return [s for s in allowed_steps(self.order.state) if agency or s in PRODUCER_STEPS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = is_agency(self.request.user)
        steps = self.steps()
        context.update(
            order=self.order,
            transitions=self.order.transitions.select_related("user"),
            steps=steps,
            can_confirm=OrderState.PAID in steps,
            can_ship=OrderState.SHIPPED in steps,
            can_deliver=OrderState.DELIVERED in steps,
            can_cancel=OrderState.CANCELLED in steps,
            can_refund=OrderState.REFUNDED in steps,
            refund_through_stripe=self.order.payment_method == SampleOrder.PaymentMethod.CARD,
            ship_form=kwargs.get("ship_form") or ShipForm(),
            note_form=NoteForm(),
            is_agency=agency,
            stripe_events=self.order.stripe_events.all() if agency else [],
            notifications=self.order.notifications.all()[:50] if agency else [],
        )
        return context

    def post(self, request, pk):
        order, user = self.order, request.user
        action = request.POST.get("action", "")
        if action == "resend" and is_agency(user):
            return self.resend(request, pk)
        target = {
            "confirm": OrderState.PAID,
            "ship": OrderState.SHIPPED,
            "deliver": OrderState.DELIVERED,
            "cancel": OrderState.CANCELLED,
            "refund": OrderState.REFUNDED,
        }.get(action)
        if target is None:
            messages.error(request, gettext("Unknown action."))
            return redirect("marketplace_sample_order", pk)
        if target not in self.steps():
            messages.error(
                request,
                IllegalTransition(order, order.state, target).message
                if is_agency(user) or target in PRODUCER_STEPS
                else gettext("Only the agency can do that."),
            )
            return redirect("marketplace_sample_order", pk)
        note = (request.POST.get("note") or "").strip()[:500]
        try:
            if target == OrderState.PAID:
                services.confirm_transfer(order, user, note)
            elif target == OrderState.SHIPPED:
                form = ShipForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(ship_form=form))
                services.ship(order, user, form.cleaned_data["carrier"], form.cleaned_data["tracking_number"])
            elif target == OrderState.DELIVERED:
                services.mark_delivered(order, user)
            elif target == OrderState.CANCELLED:
                services.cancel(order, user, note)
            else:
                services.refund(order, user, note)
        except IllegalTransition as refused:
            messages.error(request, refused.message)
        except payments.StripeUnavailable as error:
            messages.error(
                request,
                gettext("Stripe did not take the refund (%(error)s); nothing changed. Try again.") % {"error": error},
            )
        else:
            messages.success(
                request,
                gettext("%(reference)s is now “%(state)s”.")
                % {"reference": order.reference, "state": order.get_state_display()},
            )
        return redirect("marketplace_sample_order", pk)

    def resend(self, request, pk):
        """A fresh set of attempts for an email that failed after every retry."""
        notification = self.order.notifications.filter(pk=record_id(request.POST.get("notification")) or 0).first()
        if notification is None or notification.sent_at:
            messages.error(request, gettext("That email was already sent or does not exist."))
            return redirect("marketplace_sample_order", pk)
        notification.__class__.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
            gave_up_at=None, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        state = sending.deliver(notification._meta.label_lower, notification.pk)
        if state == "sent":
            messages.success(request, gettext("Sent to %(email)s.") % {"email": notification.recipient})
        else:
            messages.warning(request, gettext("Still failing; it will be tried again."))
        return redirect("marketplace_sample_order", pk)


COLUMNS = [
    (_("Reference"), lambda o: o.reference),
    (_("Ordered"), lambda o: timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M")),
    (_("State"), lambda o: str(o.get_state_display())),
    (_("Product"), lambda o: o.product_title),
    (_("Producer"), lambda o: o.producer.name),
    (_("Quantity"), lambda o: o.quantity),
    (_("Total (VND)"), lambda o: o.total_vnd),
    (_("Currency"), lambda o: o.currency),
    (_("Total (USD)"), lambda o: f"{o.total_usd:.2f}" if o.total_usd is not None else ""),
    (_("Rate (VND/USD)"), lambda o: f"{o.usd_rate:f}" if o.usd_rate else ""),
    (_("Paid by"), lambda o: str(o.get_payment_method_display()) if o.payment_method else ""),
    (_("Name"), lambda o: o.name),
    (_("Company"), lambda o: o.company),
    (_("Email"), lambda o: o.email),
    (_("Phone"), lambda o: o.phone),
    (_("Ship to"), lambda o: o.shipping_address),
    (_("Carrier"), lambda o: o.carrier),
    (_("Tracking number"), lambda o: o.tracking_number),
]


class OrderExportView(AdminPage):
    def get(self, request):
        _tab, _q, orders = filtered(request, orders_for(request.user))
        rows = [[str(label) for label, _v in COLUMNS]]
        rows += [[value(o) for _l, value in COLUMNS] for o in orders.select_related("producer", "province")]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return spreadsheets.download(rows, f"sample-orders-{stamp}", extension, _("Sample orders"))
