"""In a real browser: a buyer requests a meeting at a fair, the producer accepts it in the admin."""

import re

import pytest

from django.core import mail

from marketplace.accounts.roles import setup_roles
from marketplace.fairs.models import MeetingRequest
from tests.factories import ProducerFactory, certified_product, producer_user
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair
from tests.test_browser_csp import WATCH, refused

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's


def test_buyer_requests_a_meeting_and_the_producer_accepts_it(page, live_server, site_tree, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than the anti-spam rule allows a person
    home, index = site_tree
    setup_roles(home, index)
    producer = ProducerFactory(name="HTX Gốm Bát Tràng", slug="htx-gom-bat-trang")
    product = certified_product(index, producer=producer, title="Bình gốm men rạn", slug="binh-gom-men-ran")
    producer_user(producer, email="thang@battrang.vn")
    fair = make_fair(fair_index(home), title="Hội chợ OCOP Hà Nội")
    stand = exhibit(fair, product, booth="A01")
    slot_start, _end = stand.open_slots()[1]

    # The fair pages run under the Content-Security-Policy (no inline script anywhere).
    page.add_init_script(WATCH)
    for path in (fair_index(home).url, "/en/collections/", product.producer.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert refused(page) == [], path

    # The buyer finds the exhibitor in its zone and asks for a slot.
    page.goto(f"{live_server.url}{fair.url}")
    assert refused(page) == []
    assert page.locator(".fair-zone", has_text="Khu 5 sao").locator(".booth").inner_text() == "A01"
    page.click("text=Request a meeting")
    form = page.locator("form.meeting-form")
    form.locator("[name=slot]").select_option(slot_start.isoformat())
    form.locator("[name=name]").fill("Sophie Laurent")
    form.locator("[name=company]").fill("Maison <Laurent>")
    form.locator("[name=email]").fill("sophie@laurent.example.fr")
    form.locator("[name=country]").select_option("FR")
    form.locator("[name=message]").fill("We would like to see your crackle-glaze vases.")
    form.locator("button[type=submit]").click()
    # Forgot consent: a field-level message, and what was typed stays.
    page.wait_for_selector(".consent .field-errors")
    assert page.locator("[name=company]").input_value() == "Maison <Laurent>"
    assert not MeetingRequest.objects.exists()
    page.locator("[name=consent]").check()
    page.locator("form.meeting-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/meetings/sent/.*"))
    assert refused(page) == []
    meeting = MeetingRequest.objects.get()
    assert meeting.reference in page.content() and meeting.starts_at == slot_start

    # The producer accepts it in the admin.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "thang@battrang.vn")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/fairs/meetings/")
    page.click(f"text={meeting.reference}")
    page.wait_for_url(f"{live_server.url}/admin/fairs/meetings/{meeting.pk}/")
    page.wait_for_selector("button[value=accept]")
    assert "Maison &lt;Laurent&gt;" in page.content()
    page.fill("textarea[name=note]", "Gian A01, cạnh lối vào chính.")
    page.click("button[value=accept]")
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    confirmation = next(m for m in mail.outbox if m.to == ["sophie@laurent.example.fr"] and m.attachments)
    assert confirmation.attachments[0][0] == f"{meeting.reference}.ics"
    assert "Gian A01, cạnh lối vào chính." in confirmation.body

    # The slot is no longer offered to the next buyer.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/meetings/request/{stand.pk}/")
    assert page.locator(f"[name=slot] option[value='{slot_start.isoformat()}']").count() == 0
