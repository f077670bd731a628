"""A lot's product as a scanner sees it today: listed or not, and the certificate it holds now.

"Today" is the visibility rule's (catalogue's `ProductPage.objects.visible()`) and the record
states are catalogue's (`Certification.status_on`): a lot scanned after its product's record
expired, was revoked or superseded says so, and the product's whole record history stays shown.
"""

from dataclasses import dataclass

from django.utils import timezone

from catalogue.models import Certification, ProductPage


@dataclass(frozen=True)
class Standing:
    listed: bool
    record: Certification | None  # the product's latest decision in effect today, whatever its status
    when_produced: Certification | None  # the record in force on the production date
    history: list


def standing(lot, on=None):
    on = on or timezone.localdate()
    history = list(lot.certification_history())
    # The latest decision already signed: the one whose status (valid, expired, revoked …) counts today.
    record = next((r for r in history if r.signed_on <= on), history[0] if history else None)
    listed = ProductPage.objects.visible(on).filter(pk=lot.product_id).exists()
    return Standing(listed=listed, record=record, when_produced=lot.certification_when_produced(), history=history)
