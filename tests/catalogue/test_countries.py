"""Country names looked up once per process and language (catalogue.countries) say what
django-countries says, in the language active at each call."""

import pytest
from django_countries import countries
from django_countries.fields import Country

from django.urls import translate_url
from django.utils import translation

from catalogue.countries import country_name
from tests.factories import certified_product


def test_every_country_in_both_languages_alternating():
    for code in countries:
        for language in ("vi", "en", "vi"):
            with translation.override(language):
                assert country_name(Country(code.code)) == Country(code.code).name, (code.code, language)
                assert country_name(code.code) == Country(code.code).name
    with translation.override("vi"):
        assert country_name("DE") == "Đức"
    with translation.override("en"):
        assert country_name("DE") == "Germany"


def test_no_country_has_no_name():
    assert country_name("") == "" and country_name(Country("")) == "" and country_name(None) == ""


@pytest.mark.django_db
def test_the_product_page_names_its_export_markets_in_the_reader_s_language(client, product_index):
    product = certified_product(product_index, title="Nước mắm Cửa Khe", export_markets=["DE", "JP", "KR"])
    for language, names in (("vi", "Đức, Nhật Bản, Hàn Quốc"), ("en", "Germany, Japan, South Korea")):
        html = client.get(translate_url(product.url, language)).content.decode()
        assert f"<dd>{names}</dd>" in html, language
