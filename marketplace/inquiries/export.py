"""The columns of the agency's inquiry export (written by marketplace.spreadsheets)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COLUMNS = [
    (_("Reference"), lambda i: i.reference),
    (_("Received"), lambda i: timezone.localtime(i.created_at).strftime("%Y-%m-%d %H:%M")),
    (_("Kind"), lambda i: str(i.get_kind_display())),
    (_("Status"), lambda i: str(i.get_status_display())),
    (_("Product"), lambda i: i.product_title or i.subject),
    (_("Addressed to"), lambda i: "; ".join(p.name for p in i.recipients.all())),
    (_("Name"), lambda i: i.name),
    (_("Company"), lambda i: i.company),
    (_("Email"), lambda i: i.email),
    (_("Phone"), lambda i: i.phone),
    (_("Country"), lambda i: str(i.country.name) if i.country else ""),
    (_("Quantity"), lambda i: f"{i.quantity:f}".rstrip("0").rstrip(".") if i.quantity is not None else ""),
    (_("Unit"), lambda i: i.unit),
    (_("Below MOQ"), lambda i: str(_("yes")) if i.below_moq else ""),
    (_("Target price"), lambda i: f"{i.target_price:f}" if i.target_price is not None else ""),
    (_("Currency"), lambda i: i.currency),
    (_("Incoterm"), lambda i: i.incoterm),
    (_("Destination"), lambda i: i.destination),
    (_("Wanted by"), lambda i: i.wanted_by.isoformat() if i.wanted_by else ""),
    (_("Message"), lambda i: i.message),
    (_("Answers"), lambda i: str(len(i.messages.all()))),
]


def rows(inquiries):
    yield [str(label) for label, _value in COLUMNS]
    for inquiry in inquiries.prefetch_related("recipients", "messages"):
        yield [value(inquiry) for _label, value in COLUMNS]
