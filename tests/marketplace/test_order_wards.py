"""A domestic buyer finds their commune or ward: a list of the province's current ones (with or
without JavaScript), and a former name from before July 2025 understood as the ward it became.

The names are the `vietnam-provinces` package's: Phường Thạch Thang (Quận Hải Châu) merged into
Phường Hải Châu of Đà Nẵng; Xã Hòa Liên (Huyện Hòa Vang) was split between Phường Hải Vân and
Phường Liên Chiểu; Quảng Ngãi has both Xã Sơn Hà and Xã Sơn Hạ.
"""

import json

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse, translate_url

from catalogue.models import Province
from marketplace.orders.models import SampleOrder
from tests.marketplace.order_helpers import detail_url, order_form, order_url
from tests.test_html_validity import vnu_errors

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def commune_errors(response):
    field = soup(response).find(id="id_commune").find_parent(class_="form-field")
    errors = field.find(class_="field-errors")
    return errors.get_text(" ", strip=True) if errors else ""


@pytest.fixture
def quang_ngai(db):
    return Province.objects.current().get(slug="quang-ngai")


@pytest.mark.parametrize("typed", ["Phường Thạch Thang", "thach thang", "PHUONG THACH THANG", "Thạch Thang"])
def test_a_former_ward_is_stored_as_the_ward_it_became_and_the_order_page_says_so(buyer, sample_a, da_nang, typed):
    form = order_form(province=str(da_nang.pk), commune=typed)
    response = buyer.post(translate_url(order_url(sample_a), "en"), form, follow=True)
    order = SampleOrder.objects.get(form_token=form["form_token"])
    assert order.commune == "Phường Hải Châu" and order.province == da_nang
    assert response.redirect_chain[-1][0] == detail_url(order)
    messages = soup(response).select(".messages li")
    assert [m.get_text(strip=True) for m in messages] == [
        "“Phường Thạch Thang” is now part of “Phường Hải Châu”: your sample ships to “Phường Hải Châu”, Đà Nẵng."
    ]


def test_the_notice_is_in_the_buyers_language(buyer, sample_a, da_nang):
    form = order_form(province=str(da_nang.pk), commune="thach thang")
    response = buyer.post(translate_url(order_url(sample_a), "vi"), form, follow=True)
    notice = soup(response).select_one(".messages li").get_text(strip=True)
    assert notice.startswith("“Phường Thạch Thang” nay thuộc “Phường Hải Châu”")


def test_a_current_name_gets_no_notice(buyer, sample_a, da_nang):
    form = order_form(province=str(da_nang.pk), commune="Phuong Hai Chau")
    response = buyer.post(order_url(sample_a), form, follow=True)
    assert SampleOrder.objects.get().commune == "Phường Hải Châu"
    assert not soup(response).select(".messages li")


@pytest.mark.parametrize("typed", ["Xã Hòa Liên", "xa hoa lien", "Hoa Lien"])
def test_a_former_commune_split_between_wards_offers_them_as_choices(buyer, sample_a, da_nang, typed):
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), commune=typed))
    assert response.status_code == 200 and SampleOrder.objects.count() == 0
    error = commune_errors(response)
    assert f"“{typed}” is a former name" in error
    assert "“Phường Hải Vân”" in error and "“Phường Liên Chiểu”" in error
    choices = soup(response).select(".ward-candidates button[name=pick_commune]")
    assert [button["value"] for button in choices] == ["Phường Hải Vân", "Phường Liên Chiểu"]
    assert "Xã Hòa Liên, Huyện Hòa Vang" in choices[0].get_text()
    # What was typed stays.
    page = soup(response)
    assert page.find(id="id_commune")["value"] == typed and page.find(id="id_name")["value"] == "Nguyễn Thị Mai"


def test_picking_a_candidate_fills_the_commune_and_places_nothing_until_confirmed(buyer, sample_a, da_nang):
    form = order_form(province=str(da_nang.pk), commune="xa hoa lien", pick_commune="Phường Liên Chiểu")
    response = buyer.post(order_url(sample_a), form)
    assert response.status_code == 200 and SampleOrder.objects.count() == 0
    page = soup(response)
    assert page.find(id="id_commune")["value"] == "Phường Liên Chiểu"
    assert page.find(id="id_address_line")["value"] == "12 Bạch Đằng"
    assert page.find(id="id_form_token")["value"] == form["form_token"]
    assert not page.select(".field-errors, .form-errors")
    # The buyer confirms: the order ships to the ward picked.
    form["commune"] = "Phường Liên Chiểu"
    del form["pick_commune"]
    assert buyer.post(order_url(sample_a), form).status_code == 302
    assert SampleOrder.objects.get().commune == "Phường Liên Chiểu"


def test_names_that_differ_only_by_diacritics_ask_which_one(buyer, sample_a, quang_ngai):
    response = buyer.post(order_url(sample_a), order_form(province=str(quang_ngai.pk), commune="son ha"))
    assert response.status_code == 200 and SampleOrder.objects.count() == 0
    assert "“son ha” could be “Xã Sơn Hà”, “Xã Sơn Hạ”" in commune_errors(response)
    choices = soup(response).select(".ward-candidates button[name=pick_commune]")
    assert {button["value"] for button in choices} == {"Xã Sơn Hà", "Xã Sơn Hạ"}
    # Typed with its diacritics, the name is not ambiguous.
    form = order_form(province=str(quang_ngai.pk), commune="Sơn Hạ")
    assert buyer.post(order_url(sample_a), form).status_code == 302
    assert SampleOrder.objects.get().commune == "Xã Sơn Hạ"


def test_a_name_neither_current_nor_former_is_refused_with_the_list_offered(buyer, sample_a, da_nang):
    # Phường Ba Đình is Hà Nội's, not Đà Nẵng's, under either name.
    response = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), commune="Ba Đình"))
    assert response.status_code == 200 and SampleOrder.objects.count() == 0
    assert "“Ba Đình” is not a commune or ward of Đà Nẵng" in commune_errors(response)
    assert "Phường Hải Châu" in [o.get_text() for o in soup(response).select("#id_commune-wards option")]


def test_without_javascript_the_province_step_lists_its_wards_and_keeps_what_was_typed(buyer, sample_a, da_nang):
    page = soup(buyer.get(order_url(sample_a)))
    commune = page.find(id="id_commune")
    assert commune["list"] == "id_commune-wards" and not page.select("#id_commune-wards option")
    assert page.select_one("button.show-wards[name=show_wards]")

    form = order_form(province=str(da_nang.pk), commune="", show_wards="1")
    response = buyer.post(order_url(sample_a), form)
    assert response.status_code == 200 and SampleOrder.objects.count() == 0
    page = soup(response)
    options = [o.get_text() for o in page.select("#id_commune-wards option")]
    assert len(options) == 94 and "Phường Hải Châu" in options and "Đặc khu Hoàng Sa" in options
    assert not page.select(".field-errors, .form-errors")  # the buyer has not tried to order yet
    assert page.find(id="id_province").find("option", selected=True)["value"] == str(da_nang.pk)
    assert page.find(id="id_email")["value"] == "Mai@Example.vn"
    assert page.find(id="id_company")["value"] == "Cửa hàng <Mai>"
    assert page.find(id="id_consent").has_attr("checked")


def test_the_wards_endpoint_is_public_cacheable_reference_data(buyer, da_nang):
    response = buyer.get(reverse("orders:wards", args=[da_nang.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["province"] == "Đà Nẵng" and len(data["wards"]) == 94 and "Phường Hải Châu" in data["wards"]
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert not response.cookies
    legacy = Province.objects.legacy().get(slug="quang-nam")
    for province_id in (legacy.pk, 999999):
        missing = buyer.get(reverse("orders:wards", args=[province_id]))
        assert missing.status_code == 404 and json.loads(missing.content) == {"error": "There is no such province."}
    assert buyer.post(reverse("orders:wards", args=[da_nang.pk])).status_code == 405


def test_the_list_and_the_choices_are_valid_html(buyer, sample_a, da_nang, tmp_path):
    listed = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), show_wards="1"))
    choices = buyer.post(order_url(sample_a), order_form(province=str(da_nang.pk), commune="xa hoa lien"))
    files = []
    for name, response in (("listed", listed), ("choices", choices)):
        assert response.status_code == 200
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert soup(choices).select(".ward-candidates button") and soup(listed).select("#id_commune-wards option")
    assert vnu_errors(files) == []
