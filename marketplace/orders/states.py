"""The order's state machine: a table of allowed steps and one conditional UPDATE per step.

No state-machine library: the step is `UPDATE ... SET state = new WHERE id = … AND state = old`,
so of two requests racing to take the same step (a Stripe webhook and the agency's transfer
confirmation, a replayed event) exactly one updates the row; the other sees no row changed and
is refused. The transition row is written in the same transaction, and a unique constraint on
(order, state entered) is the database's own backstop.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..outbox import sending
from .models import OrderState, OrderTransition, SampleOrder

S = OrderState

# (from, to): every step an order may take. A late payment on an expired order is honoured;
# once paid, an order ends delivered or refunded, never merely cancelled with the money kept.
ALLOWED = {
    (S.PENDING, S.PAID),
    (S.EXPIRED, S.PAID),
    (S.PENDING, S.CANCELLED),
    (S.PENDING, S.EXPIRED),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.REFUNDED),
    (S.SHIPPED, S.DELIVERED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}

VERBS = {
    S.PAID: _("mark as paid"),
    S.SHIPPED: _("ship"),
    S.DELIVERED: _("mark as delivered"),
    S.CANCELLED: _("cancel"),
    S.REFUNDED: _("refund"),
    S.EXPIRED: _("expire"),
}


class IllegalTransition(Exception):
    """The step is not allowed from the order's state (or another request took a step first)."""

    def __init__(self, order, current, to):
        self.order, self.current, self.to = order, current, to
        super().__init__(self.message)

    @property
    def message(self):
        return gettext("%(reference)s is “%(state)s”: it cannot %(verb)s now.") % {
            "reference": self.order.reference,
            "state": OrderState(self.current).label if self.current in OrderState.values else self.current,
            "verb": VERBS.get(self.to, self.to),
        }


def allowed_steps(state):
    return [to for (frm, to) in ALLOWED if frm == state]


def transition(order, to, *, actor, user=None, note="", fields=None, notify=None):
    """Take one step or raise IllegalTransition; returns the OrderTransition written.

    `fields` are set on the order in the same UPDATE (e.g. the carrier on shipping);
    `notify(order, transition)` runs inside the transaction and returns the outbox rows it
    wrote, whose first attempt is enqueued once the step is saved.
    """
    fields = dict(fields or {})
    current = SampleOrder.objects.filter(pk=order.pk).values_list("state", flat=True).first()
    if (current, to) not in ALLOWED:
        raise IllegalTransition(order, current, to)
    now = timezone.now()
    with transaction.atomic():
        changed = SampleOrder.objects.filter(pk=order.pk, state=current).update(state=to, updated_at=now, **fields)
        if not changed:
            # Another request took a step between the read and the UPDATE.
            latest = SampleOrder.objects.filter(pk=order.pk).values_list("state", flat=True).first()
            raise IllegalTransition(order, latest, to)
        step = OrderTransition.objects.create(
            order=order, from_state=current, to_state=to, at=now, user=user, actor=actor[:64], note=note[:500]
        )
        order.state = to
        for name, value in fields.items():
            setattr(order, name, value)
        rows = notify(order, step) if notify is not None else []
    if rows:
        sending.enqueue(rows)
    return step
