"""The marketplace speaks Vietnamese by default, and each email goes out in its recipient's language."""

import pytest

from django.core import mail
from django.test import Client
from django.urls import reverse, translate_url
from django.utils import translation

from wagtail.users.models import UserProfile

from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import SampleOrder
from tests.marketplace.inquiry_helpers import product_form, product_url
from tests.marketplace.order_helpers import order_form, order_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    """A browser that states no language: the site's default, Vietnamese, applies."""
    return Client()


def in_vietnamese(url):
    """The /vi/ address of a page these tests reverse at /en/ (tests/marketplace/conftest.py)."""
    return translate_url(url, "vi")


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_the_inquiry_form_reads_vietnamese_by_default(visitor, page_a):
    html = visitor.get(in_vietnamese(product_url(page_a))).content.decode()
    assert "Tôi đồng ý để dữ liệu cá nhân của tôi được xử lý cho yêu cầu này" in html
    assert "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân" in html
    assert "I agree that my personal data" not in html


def test_the_sample_order_form_errors_read_vietnamese_by_default(visitor, sample_a):
    response = visitor.post(in_vietnamese(order_url(sample_a)), order_form(province="", commune=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hãy chọn tỉnh nhận hàng." in html and "Hãy nhập xã hoặc phường." in html
    assert "Choose the province to ship to." not in html
    assert SampleOrder.objects.count() == 0


def test_the_same_form_reads_english_when_the_browser_asks(buyer, sample_a):
    html = buyer.post(order_url(sample_a), order_form(province="", commune="")).content.decode()
    assert "Choose the province to ship to." in html and "Hãy chọn tỉnh nhận hàng." not in html


def test_a_vietnamese_buyer_gets_vietnamese_mail_and_an_english_producer_english(visitor, page_a, user_a, agency):
    prefer(user_a, "en")
    form = product_form()
    assert visitor.post(in_vietnamese(product_url(page_a)), form).status_code == 302
    inquiry = Inquiry.objects.get(form_token=form["form_token"])
    assert inquiry.language == "vi"
    ack = next(m for m in mail.outbox if m.to == [inquiry.email])
    assert f"Chúng tôi đã nhận được yêu cầu {inquiry.reference} của bạn" in ack.subject
    assert "Mã tham chiếu" in ack.body and "Để yêu cầu xóa dữ liệu cá nhân của bạn khỏi yêu cầu này" in ack.body
    to_producer = next(m for m in mail.outbox if m.to == ["a@cuakhe.vn"])
    assert f"New inquiry {inquiry.reference}" in to_producer.subject and "Reference" in to_producer.body
    # The agency set no language: it reads the site's default.
    to_agency = next(m for m in mail.outbox if m.to == ["agency@example.vn"])
    assert f"Yêu cầu mới {inquiry.reference}" in to_agency.subject


def test_an_english_buyer_gets_english_mail_and_the_producer_vietnamese(buyer, sample_a, da_nang, user_a, agency):
    form = order_form(province=str(da_nang.pk))
    assert buyer.post(order_url(sample_a), form).status_code == 302
    order = SampleOrder.objects.get(form_token=form["form_token"])
    assert order.language == "en"
    ack = next(m for m in mail.outbox if m.to == [order.email])
    assert f"Your sample order {order.reference}: how to pay" in ack.subject
    assert "Transfer note (write exactly)" in ack.body and "Pending payment" in ack.body
    to_producer = next(m for m in mail.outbox if m.to == ["a@cuakhe.vn"])
    assert f"Đơn hàng mẫu mới {order.reference}" in to_producer.subject
    assert "Một người mua đã đặt mẫu thử; đơn đang chờ thanh toán." in to_producer.body
    assert "Chờ thanh toán" in to_producer.body


def test_the_admin_inquiry_list_reads_vietnamese_unless_the_user_prefers_english(visitor, agency):
    visitor.force_login(agency)
    html = visitor.get(reverse("marketplace_inquiries")).content.decode()
    assert "Xuất CSV" in html and "Không có yêu cầu nào ở đây." in html
    prefer(agency, "en")
    html = visitor.get(reverse("marketplace_inquiries")).content.decode()
    assert "Export CSV" in html and "No inquiries here." in html


def test_verbose_names_and_plurals_are_vietnamese():
    with translation.override("vi"):
        assert str(SampleOrder._meta.verbose_name) == "đơn hàng mẫu"
        assert str(Inquiry.Kind.PRODUCT.label) == "Yêu cầu báo giá"
        assert translation.ngettext("Revoke %(n)s record", "Revoke %(n)s records", 3) % {"n": 3} == "Thu hồi 3 hồ sơ"
    with translation.override("en"):
        assert str(SampleOrder._meta.verbose_name) == "sample order"
