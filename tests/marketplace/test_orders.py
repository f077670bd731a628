"""A buyer orders a sample and pays by bank transfer; the agency confirms, the producer ships."""

import datetime
import re

import pytest

from django.core import mail
from django.core.management import call_command
from django.urls import reverse, translate_url
from django.utils import timezone

from marketplace.orders import services
from marketplace.orders.models import OrderNotification, OrderState, OrderTransition, SampleOrder, SampleOrderSettings
from marketplace.orders.states import IllegalTransition
from tests.marketplace.order_helpers import abroad_form, detail_url, order_form, order_url, sample_product

pytestmark = pytest.mark.django_db


def place(buyer, product, form, language="en"):
    response = buyer.post(translate_url(order_url(product), language), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return SampleOrder.objects.get(form_token=form["form_token"]), response


def test_product_page_links_to_the_order_form_only_when_samples_are_offered(buyer, sample_a, page_b):
    assert order_url(sample_a) in buyer.get(sample_a.url).content.decode()
    assert order_url(page_b) not in buyer.get(page_b.url).content.decode()
    response = buyer.get(order_url(page_b))
    assert response.status_code == 410 and "does not offer samples" in response.content.decode()


def test_a_hidden_product_refuses_orders(buyer, product_index, producer_a):
    expired = sample_product(
        product_index, producer_a, slug="old", signed_on=timezone.localdate() - datetime.timedelta(days=40 * 30)
    )
    response = buyer.get(order_url(expired))
    assert response.status_code == 410 and "not listed" in response.content.decode()
    assert buyer.post(order_url(expired), order_form()).status_code == 410
    assert buyer.get(reverse("orders:order", args=[999999])).status_code == 404
    assert SampleOrder.objects.count() == 0


def test_domestic_order_amounts_come_from_the_server(buyer, sample_a, da_nang, user_a, agency):
    form = order_form(province=str(da_nang.pk), total_vnd="1", unit_price_vnd="1", shipping_fee_vnd="0")
    order, response = place(buyer, sample_a, form)
    assert response["Location"] == detail_url(order)
    settings = SampleOrderSettings.load()
    assert order.unit_price_vnd == 120_000 and order.quantity == 2
    assert order.shipping_fee_vnd == settings.domestic_fee_vnd == 35_000
    assert order.total_vnd == 275_000 and order.state == OrderState.PENDING
    # The commune is stored as the register names it.
    assert order.commune == "Phường Hải Châu" and order.province == da_nang
    assert order.phone == "+84905123456" and order.email == "mai@example.vn" and order.consent_at
    assert order.expires_at == order.created_at + datetime.timedelta(hours=settings.expiry_hours)
    assert order.reference == f"SMP-{timezone.localtime().year}-{order.pk:06d}"
    # Everyone is told, in their language.
    assert {m.to[0] for m in mail.outbox} == {"mai@example.vn", "a@cuakhe.vn", "agency@example.vn"}
    ack = next(m for m in mail.outbox if m.to == ["mai@example.vn"])
    assert order.reference in ack.subject and detail_url(order) in ack.body
    assert order.transfer_reference in ack.body and "275,000 ₫" in ack.body
    assert OrderNotification.objects.filter(order=order, sent_at__isnull=False).count() == 3


def test_the_commune_must_be_a_current_ward_of_the_province(buyer, sample_a, da_nang):
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), commune="Ba Đình"))
    assert response.status_code == 200
    assert "is not a commune or ward of Đà Nẵng" in response.content.decode()
    response = buyer.post(order_url(sample_a), order_form(province="", commune=""))
    html = response.content.decode()
    assert "Choose the province to ship to." in html and "Enter the commune or ward." in html
    assert SampleOrder.objects.count() == 0


def test_quantity_is_limited_to_the_producers_sample_limit(buyer, sample_a, da_nang):
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), quantity="4"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), quantity="0"))
    assert response.status_code == 200
    assert SampleOrder.objects.count() == 0


def test_without_stripe_keys_everything_is_in_dong(buyer, sample_a, zones):
    assert 'name="currency"' not in buyer.get(order_url(sample_a)).content.decode()
    order, _response = place(buyer, sample_a, abroad_form(quantity="1"))
    assert order.currency == "VND" and order.total_vnd == 970_000


def test_abroad_pays_the_zone_fee_and_may_pay_in_usd_at_the_agency_rate(buyer, sample_a, zones, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_card_offered"  # USD is for card payments; no call to Stripe here
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert 'name="currency"' not in buyer.get(order_url(sample_a)).content.decode()  # never confirmable
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_card_offered"
    assert 'name="currency"' in buyer.get(order_url(sample_a)).content.decode()
    settings = SampleOrderSettings.load()
    settings.usd_rate = "25400"
    settings.save()
    order, _response = place(buyer, sample_a, abroad_form(quantity="1"))
    assert order.shipping_fee_vnd == 850_000 and order.shipping_zone == "Europe"
    assert order.total_vnd == 970_000 and order.currency == "USD"
    # 970,000 / 25,400 = 38.1889… → 38.19, rounded to cents; the rate used is kept.
    assert order.total_usd_cents == 3819 and str(order.usd_rate) == "25400.00"
    assert order.province is None and order.commune == "" and order.city == "Hamburg"
    settings.usd_rate = "26000"
    settings.save()
    order.refresh_from_db()
    assert order.total_usd_cents == 3819  # a later rate change does not touch a placed order


def test_a_country_in_no_zone_cannot_order(buyer, sample_a, zones):
    response = buyer.post(order_url(sample_a), abroad_form(country="BR"))
    assert response.status_code == 200 and "cannot be shipped to Brazil" in response.content.decode()
    assert SampleOrder.objects.count() == 0


def test_double_submit_stores_one_order(buyer, sample_a, da_nang):
    form = order_form(province=str(da_nang.pk))
    first, _ = place(buyer, sample_a, form)
    again = buyer.post(order_url(sample_a), form)
    assert again.status_code == 302 and again["Location"] == detail_url(first)
    assert SampleOrder.objects.count() == 1


def test_missing_consent_and_spam_are_refused_and_typed_values_stay(buyer, sample_a, da_nang):
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), consent=None))
    html = response.content.decode()
    assert response.status_code == 200 and "only with your consent" in html and "Cửa hàng &lt;Mai&gt;" in html
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), website="http://spam"))
    assert "looks automated" in response.content.decode()
    assert SampleOrder.objects.count() == 0


def test_order_page_shows_the_account_amount_reference_and_a_vietqr_code(buyer, sample_a, da_nang):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    response = buyer.get(detail_url(order))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "0011001234567" in html and "Vietcombank" in html and "275,000 ₫" in html
    assert (
        order.transfer_reference in html
        and "<svg" in html
        and "<script" not in html.split("<main")[1].split("</main>")[0]
    )
    # No card button without Stripe keys: bank transfer works alone.
    assert reverse("orders:pay_card", args=[order.access_token]) not in html
    assert buyer.get(reverse("orders:detail", args=["not-a-token"])).status_code == 404


def test_agency_confirms_the_transfer_and_the_producer_ships(client, buyer, sample_a, da_nang, user_a, agency):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    admin_url = reverse("marketplace_sample_order", args=[order.pk])
    mail.outbox.clear()

    # The producer cannot confirm payment: that is the agency's.
    client.force_login(user_a)
    client.post(admin_url, {"action": "confirm"})
    order.refresh_from_db()
    assert order.state == OrderState.PENDING

    client.force_login(agency)
    response = client.post(admin_url, {"action": "confirm", "note": "VCB statement 01/12"}, follow=True)
    order.refresh_from_db()
    assert order.state == OrderState.PAID and order.payment_method == "bank_transfer"
    assert "is now “Paid”" in response.content.decode()
    step = order.transitions.get()
    assert (step.from_state, step.to_state, step.user, step.note) == ("pending", "paid", agency, "VCB statement 01/12")
    assert {m.to[0] for m in mail.outbox} == {"mai@example.vn", "a@cuakhe.vn", "agency@example.vn"}

    # Confirming twice is refused with a message and records nothing.
    response = client.post(admin_url, {"action": "confirm"}, follow=True)
    assert "it cannot mark as paid now" in response.content.decode()
    assert order.transitions.count() == 1

    client.force_login(user_a)
    response = client.post(admin_url, {"action": "ship", "carrier": "", "tracking_number": ""})
    assert response.status_code == 200 and 'class="error-message"' in response.content.decode()
    client.post(admin_url, {"action": "ship", "carrier": "VNPost EMS", "tracking_number": "EE123456789VN"})
    order.refresh_from_db()
    assert order.state == OrderState.SHIPPED and order.tracking_number == "EE123456789VN"
    shipped = next(m for m in mail.outbox if m.to == ["mai@example.vn"] and "shipped" in m.subject)
    assert "EE123456789VN" in shipped.body
    client.post(admin_url, {"action": "deliver"})
    order.refresh_from_db()
    assert order.state == OrderState.DELIVERED
    assert [t.to_state for t in order.transitions.all()] == ["paid", "shipped", "delivered"]
    assert "EE123456789VN" in buyer.get(detail_url(order)).content.decode()


def test_producers_see_only_their_own_orders(client, buyer, sample_a, product_index, producer_b, user_b, da_nang):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    client.force_login(user_b)
    assert client.get(reverse("marketplace_sample_order", args=[order.pk])).status_code == 404
    assert order.reference not in client.get(reverse("marketplace_sample_orders")).content.decode()
    export = client.get(reverse("marketplace_sample_orders_export") + "?format=csv").content.decode("utf-8-sig")
    assert order.reference not in export


def test_agency_export_neutralises_formulas(client, buyer, sample_a, da_nang, agency):
    place(buyer, sample_a, order_form(province=str(da_nang.pk), name="=HYPERLINK(1)"))
    client.force_login(agency)
    export = client.get(reverse("marketplace_sample_orders_export") + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in export and "Phường Hải Châu" in export


def test_illegal_transitions_are_refused(buyer, sample_a, da_nang, agency):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    with pytest.raises(IllegalTransition, match="cannot ship now"):
        services.ship(order, agency, "VNPost", "EE1")
    services.cancel(order, agency, "buyer asked")
    with pytest.raises(IllegalTransition):
        services.confirm_transfer(order, agency)
    assert [t.to_state for t in order.transitions.all()] == ["cancelled"]


def test_unpaid_orders_expire_by_the_scheduled_command(buyer, sample_a, da_nang, agency, capsys):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    fresh, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    SampleOrder.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("expire_sample_orders")
    assert "Sample orders expired: 1." in capsys.readouterr().out
    order.refresh_from_db()
    fresh.refresh_from_db()
    assert order.state == OrderState.EXPIRED and fresh.state == OrderState.PENDING
    assert order.transitions.get().actor == "scheduled expiry"
    # A late transfer is still honoured by the agency.
    services.confirm_transfer(order, agency)
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    call_command("expire_sample_orders")
    assert "Sample orders expired: 0." in capsys.readouterr().out


def test_each_state_is_entered_once_even_past_the_code(buyer, sample_a, da_nang):
    from django.db import IntegrityError, transaction

    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    OrderTransition.objects.create(order=order, from_state="pending", to_state="paid", actor="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderTransition.objects.create(order=order, from_state="expired", to_state="paid", actor="y")


def test_buyer_emails_are_in_the_buyers_language_and_retried(buyer, sample_a, da_nang, settings):
    vi_buyer_form = order_form(province=str(da_nang.pk))
    from django.test import Client

    settings.EMAIL_BACKEND = "tests.marketplace.inquiry_helpers.FailingEmailBackend"
    order, _ = place(Client(headers={"accept-language": "vi"}), sample_a, vi_buyer_form, language="vi")
    row = order.notifications.get(audience="buyer")
    assert row.language == "vi" and row.attempts == 1 and row.sent_at is None and "mail server down" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.sent_at is None  # not due yet: backoff
    OrderNotification.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    ack = next(m for m in mail.outbox if m.to == ["mai@example.vn"])
    assert re.search(r"SMP-\d{4}-\d{6}", ack.subject)
    assert "275.000 ₫" in ack.body  # Vietnamese number format: the email is rendered in the buyer's language


def test_agency_sets_bank_account_rate_expiry_and_zones_in_the_admin(client, agency, user_a):
    from marketplace.orders.models import ShippingZone

    client.force_login(agency)
    settings_url = reverse("wagtailsettings:edit", args=["marketplace", "sampleordersettings"])
    page = client.get(settings_url, follow=True)
    assert page.status_code == 200 and 'name="bank_bin"' in page.content.decode()
    zones_url = reverse("wagtailsnippets_marketplace_shippingzone:add")
    response = client.post(zones_url, {"name": "Oceania", "countries": ["AU", "NZ"], "fee_vnd": "900000"})
    assert response.status_code == 302
    assert ShippingZone.for_country("NZ").fee_vnd == 900_000
    # Producers see and change none of it.
    client.force_login(user_a)
    assert client.get(zones_url, follow=True).redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert client.get(settings_url, follow=True).redirect_chain[-1][0] == reverse("wagtailadmin_home")


def test_too_many_orders_from_one_address_get_429_and_keep_what_was_typed(buyer, sample_a, da_nang, settings):
    settings.INQUIRY_RATE_PER_IP = "2/h"
    for _ in range(2):
        place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk)))
    assert response.status_code == 429 and "12 Bạch Đằng" in response.content.decode()
    assert SampleOrder.objects.count() == 2


def test_agency_resends_an_email_that_failed_every_retry(client, buyer, sample_a, da_nang, agency, settings):
    settings.EMAIL_BACKEND = "tests.marketplace.inquiry_helpers.FailingEmailBackend"
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    row = order.notifications.get(audience="buyer")
    OrderNotification.objects.filter(pk=row.pk).update(gave_up_at=timezone.now(), attempts=5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(agency)
    admin_url = reverse("marketplace_sample_order", args=[order.pk])
    assert "Resend" in client.get(admin_url).content.decode()
    response = client.post(admin_url, {"action": "resend", "notification": row.pk}, follow=True)
    row.refresh_from_db()
    assert row.sent_at is not None and "Sent to mai@example.vn" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_demo_orders_load_once(buyer, sample_a, producer_a):
    from marketplace.orders.demo import load_demo_orders
    from marketplace.orders.models import ShippingZone

    assert load_demo_orders(producer_a) == 2
    assert load_demo_orders(producer_a) == 0
    assert ShippingZone.objects.count() == 3 and ShippingZone.for_country("BR").name == "Rest of the world"
    pending = SampleOrder.objects.get(state=OrderState.PENDING)
    assert pending.total_vnd == pending.unit_price_vnd * pending.quantity + pending.shipping_fee_vnd
    assert "<svg" in buyer.get(detail_url(pending)).content.decode()
    assert SampleOrder.objects.get(state=OrderState.PAID).transitions.get().to_state == OrderState.PAID


def test_dashboard_counts_the_users_own_orders(client, buyer, sample_a, da_nang, agency, user_a, user_b):
    order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    services.confirm_transfer(order, agency)
    client.force_login(user_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="sample-orders' in html and "?state=paid" in html
    assert re.search(r"<span>1</span>\s*paid, to ship", html)
    client.force_login(user_b)
    assert re.search(r"<span>0</span>\s*paid, to ship", client.get(reverse("wagtailadmin_home")).content.decode())


def test_retention_erases_the_buyer_from_old_closed_orders_and_keeps_the_accounts(buyer, sample_a, da_nang, capsys):
    old, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk)))
    open_order, _ = place(buyer, sample_a, order_form(province=str(da_nang.pk), email="open@example.vn"))
    long_ago = timezone.now() - datetime.timedelta(days=800)
    SampleOrder.objects.filter(pk=old.pk).update(state=OrderState.CANCELLED, updated_at=long_ago)
    # Paid and never shipped: still in hand, however old; nothing is erased from it.
    SampleOrder.objects.filter(pk=open_order.pk).update(state=OrderState.PAID, updated_at=long_ago)
    old_link = detail_url(old)
    call_command("erase_closed_inquiries")
    assert "Sample orders: personal data erased from 1 closed more than 24 months ago." in capsys.readouterr().out
    old.refresh_from_db()
    open_order.refresh_from_db()
    assert old.erased_at and (old.name, old.email, old.phone, old.address_line, old.commune) == ("",) * 5
    # What the accounts need stays: amounts, currency, product, province, every step.
    assert old.total_vnd == 2 * 120_000 + old.shipping_fee_vnd and old.product_title and old.province == da_nang
    assert not old.notifications.exclude(recipient="").exists()
    assert buyer.get(translate_url(old_link, "en")).status_code == 404  # the private link died with the data
    assert open_order.erased_at is None and open_order.email == "open@example.vn"
