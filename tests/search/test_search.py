"""What a buyer searching the catalogue sees, the same on every engine."""

import datetime

import pytest

from django.utils import timezone

from catalogue.models import Province
from tests.factories import ProducerFactory, current_province

from .conftest import listed, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(engine, product_index):
    """A small catalogue across provinces, groups and star classes."""
    from catalogue.models import Category

    condiments = Category.objects.get(code="1.4.a")
    tea = Category.objects.get(code="1.5.a")
    crafts = Category.objects.get(code="4.1")
    return {
        "fish_sauce": listed(
            product_index,
            "Nước mắm cá cơm Phú Quốc",
            stars=5,
            province="an-giang",
            certs=["haccp"],
            name_en="Phu Quoc anchovy fish sauce",
            category=condiments,
            sample_available=True,
        ),
        "fish_sauce_2": listed(
            product_index, "Nước mắm Nam Ô", stars=4, province="da-nang", category=condiments, certs=["iso-22000"]
        ),
        "rice_paper": listed(
            product_index,
            "Bánh tráng cuốn Đà Nẵng",
            stars=3,
            province="da-nang",
            name_en="Da Nang rice paper",
            category=Category.objects.get(code="1.3.b"),
        ),
        "tea": listed(
            product_index,
            "Chè Tân Cương Thái Nguyên",
            stars=4,
            province="thai-nguyen",
            name_en="Tan Cuong green tea",
            category=tea,
            certs=["vietgap", "organic"],
            sample_available=True,
        ),
        "pottery": listed(
            product_index,
            "Gốm sứ Bát Tràng men lam",
            stars=4,
            province="ha-noi",
            name_en="Bat Trang blue-glaze ceramics",
            category=crafts,
            description="<p>Bình gốm vẽ tay, nung ở 1.200 độ.</p>",
        ),
    }


def test_text_without_diacritics_finds_text_with_them(find, shelf):
    assert titles(find(q="nuoc mam")) == {"Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"}
    assert titles(find(q="Nước mắm")) == titles(find(q="nuoc mam"))
    assert titles(find(q="NUOC MAM")) == titles(find(q="nuoc mam"))


def test_d_with_stroke_folds_both_ways(find, shelf):
    # "da nang" finds the province Đà Nẵng and the title "… Đà Nẵng".
    assert titles(find(q="da nang")) == {"Nước mắm Nam Ô", "Bánh tráng cuốn Đà Nẵng"}
    # "Đà Nẵng" finds the same, including the English "Da Nang rice paper".
    assert titles(find(q="Đà Nẵng")) == titles(find(q="da nang"))
    assert titles(find(q="đa nang")) == titles(find(q="da nang"))


def test_english_names_producer_province_and_category_match(find, shelf):
    assert titles(find(q="anchovy fish sauce")) == {"Nước mắm cá cơm Phú Quốc"}
    assert titles(find(q="fish sauce")) == {"Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"}  # the group's English name
    assert titles(find(q="green tea")) == {"Chè Tân Cương Thái Nguyên"}
    assert titles(find(q=shelf["tea"].producer.name)) == {"Chè Tân Cương Thái Nguyên"}
    assert titles(find(q="thai nguyen")) == {"Chè Tân Cương Thái Nguyên"}
    assert "Gốm sứ Bát Tràng men lam" in titles(find(q="handicrafts"))
    assert titles(find(q="binh gom ve tay")) == {"Gốm sứ Bát Tràng men lam"}


def test_a_one_letter_slip_still_finds_the_product(find, shelf):
    result = find(q="bat trag")
    assert titles(result) == {"Gốm sứ Bát Tràng men lam"}
    assert result.messages
    assert titles(find(q="nuoc mam phu quoc")) == titles(find(q="nuoc mam phu qupc"))


def test_filters_combine(find, shelf):
    assert titles(find(province="da-nang")) == {"Nước mắm Nam Ô", "Bánh tráng cuốn Đà Nẵng"}
    assert titles(find(province="da-nang", stars="4")) == {"Nước mắm Nam Ô"}
    assert titles(find(category="condiments")) == {"Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"}
    assert titles(find(category="food", stars="5")) == {"Nước mắm cá cơm Phú Quốc"}
    assert titles(find(sample="1")) == {"Nước mắm cá cơm Phú Quốc", "Chè Tân Cương Thái Nguyên"}
    assert titles(find(quality="organic")) == {"Chè Tân Cương Thái Nguyên"}
    assert titles(find(quality=["haccp", "iso-22000"])) == {"Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"}
    assert titles(find(q="nuoc mam", province="an-giang", stars="5", sample="1", quality="haccp")) == {
        "Nước mắm cá cơm Phú Quốc"
    }
    assert find(q="nuoc mam", province="thai-nguyen").total == 0


def test_legacy_province_slug_is_its_successor_and_the_page_says_so(find, shelf):
    result = find(province="quang-nam")
    assert titles(result) == {"Nước mắm Nam Ô", "Bánh tráng cuốn Đà Nẵng"}
    assert any("Quảng Nam" in m and "Đà Nẵng" in m for m in result.messages)
    assert titles(find(province="bac-kan")) == {"Chè Tân Cương Thái Nguyên"}


@pytest.mark.parametrize("param", ["province", "category", "quality"])
def test_unknown_slugs_give_an_empty_result_with_a_message(find, shelf, param):
    result = find(**{param: "atlantis"})
    assert result.total == 0 and result.hits == []
    assert any("atlantis" in m for m in result.messages)


def test_facets_count_under_the_other_active_filters(find, shelf):
    result = find(province="da-nang", stars="4")
    provinces = {b.value: b.count for b in result.facets["province"]}
    # Province counts ignore the province filter but keep stars ≥ 4.
    assert provinces == {"an-giang": 1, "da-nang": 1, "thai-nguyen": 1, "ha-noi": 1}
    stars = {b.value: b.count for b in result.facets["stars"]}
    # Star counts keep the province filter and ignore the stars one.
    assert stars == {"3": 2, "4": 1, "5": 0}
    categories = {b.value: b.count for b in result.facets["category"]}
    assert categories == {"food": 1, "condiments": 1, "sauces-fish-sauce": 1}
    qualities = {b.value: b.count for b in result.facets["quality"]}
    assert qualities == {"iso-22000": 1}
    assert result.total == 1

    unfiltered = find(q="nuoc mam")
    assert {b.value: b.count for b in unfiltered.facets["quality"]} == {"haccp": 1, "iso-22000": 1}
    assert {b.value: b.count for b in unfiltered.facets["province"]} == {"an-giang": 1, "da-nang": 1}


def test_every_province_with_products_appears_in_the_facet(find, product_index, engine):
    provinces = list(Province.objects.current())
    assert len(provinces) == 34
    for province in provinces:
        listed(product_index, f"Đặc sản {province.name}", province=province.slug, stars=3)
    result = find()
    assert result.total == 34
    assert {b.value for b in result.facets["province"]} == {p.slug for p in provinces}
    assert all(b.count == 1 for b in result.facets["province"])


def test_the_day_a_record_expires_the_product_drops_out_without_reindexing(find, product_index, engine):
    today = timezone.localdate()
    # Valid 36 months from signing: signed 36 months ago tomorrow means it expires tomorrow.
    from catalogue.models.certifications import expiry_for

    signed = today - datetime.timedelta(days=1200)
    while expiry_for(signed) < today + datetime.timedelta(days=1):
        signed += datetime.timedelta(days=1)
    page = listed(product_index, "Mật ong bạc hà Hà Giang", signed_on=signed, province="tuyen-quang")
    expires = page.certifications.get().expires_on
    assert expires == today + datetime.timedelta(days=1)

    assert titles(find(q="mat ong")) == {"Mật ong bạc hà Hà Giang"}
    # Tomorrow nobody re-indexes anything, yet the product is gone from text and filter queries.
    tomorrow = today + datetime.timedelta(days=1)
    assert find(on=tomorrow, q="mat ong").total == 0
    assert find(on=tomorrow, province="tuyen-quang").total == 0
    assert find(on=today, province="tuyen-quang").total == 1


def test_revocation_and_unpublishing_remove_a_product(find, shelf):
    record = shelf["tea"].certifications.get()
    record.revoked_on = timezone.localdate()
    record.revocation_reason = "Không đăng ký đánh giá lại"
    record.save()
    assert find(q="che tan cuong").total == 0

    shelf["pottery"].unpublish()
    assert find(q="bat trang").total == 0

    shelf["rice_paper"].delete()
    assert find(province="da-nang").total == 1


def test_publishing_an_edit_updates_the_index(find, shelf):
    page = shelf["pottery"]
    page.title = "Lọ hoa gốm Bát Tràng"
    page.save_revision().publish()
    assert titles(find(q="lo hoa")) == {"Lọ hoa gốm Bát Tràng"}
    # The old title is gone ("men lam" would still find the product: the glossary reads it as
    # blue-glaze, which its English name says).
    assert titles(find(q="bat trang")) == {"Lọ hoa gốm Bát Tràng"}


def test_renaming_a_producer_updates_its_products(find, shelf):
    producer = shelf["tea"].producer
    producer.name = "HTX Chè Tân Cương Hoàng Bình"
    producer.save()
    assert titles(find(q="hoang binh")) == {"Chè Tân Cương Thái Nguyên"}


def test_sorting(find, shelf):
    by_name = [hit.title for hit in find(sort="name").hits]
    assert by_name[0] == "Bánh tráng cuốn Đà Nẵng" and by_name[-1] == "Nước mắm Nam Ô"
    by_stars = [hit.current_stars for hit in find(sort="stars").hits]
    assert by_stars == sorted(by_stars, reverse=True)
    newest = find(sort="newest").hits
    assert newest[0].title == "Gốm sứ Bát Tràng men lam"
    relevance = find(q="nuoc mam phu quoc").hits
    assert relevance[0].title == "Nước mắm cá cơm Phú Quốc"
    # The same orders apply to text searches.
    assert [h.title for h in find(q="nuoc mam", sort="name").hits] == ["Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"]
    assert [h.current_stars for h in find(q="da nang", sort="stars").hits] == [4, 3]
    assert [h.title for h in find(q="da nang", sort="newest").hits] == ["Bánh tráng cuốn Đà Nẵng", "Nước mắm Nam Ô"]


def test_relevance_puts_products_named_by_the_words_first(find, shelf, product_index):
    # Better rated, but only its description says "gốm" / "green tea".
    listed(product_index, "Bình hoa Bát Tràng", stars=5, description="<p>Gốm men lam vẽ tay.</p>")
    listed(product_index, "Bánh cốm Hà Nội", stars=5, description="<p>Made with green tea leaves.</p>")
    by_relevance = [hit.title for hit in find(q="gom").hits]
    assert by_relevance == ["Gốm sứ Bát Tràng men lam", "Bình hoa Bát Tràng"]
    # An English name is a name too.
    assert [hit.title for hit in find(q="green tea").hits] == ["Chè Tân Cương Thái Nguyên", "Bánh cốm Hà Nội"]
    # Other sorts ignore where the words are.
    assert [hit.title for hit in find(q="gom", sort="stars").hits][0] == "Bình hoa Bát Tràng"


def test_pages(find, product_index, engine):
    producer = ProducerFactory(province=current_province("ha-noi"))
    for n in range(30):
        listed(product_index, f"Bánh cốm làng Vòng số {n}", producer=producer, stars=3)
    first = find(q="banh com")
    assert first.total == 30 and len(first.hits) == 24 and first.num_pages == 2
    second = find(q="banh com", page="2")
    assert len(second.hits) == 6
    assert {h.pk for h in first.hits}.isdisjoint({h.pk for h in second.hits})
    past = find(q="banh com", page="99")
    assert past.page == 2 and len(past.hits) == 6 and past.messages
    negative = find(q="banh com", page="-1")
    assert negative.page == 1 and negative.messages


@pytest.mark.parametrize(
    "params",
    [
        {"stars": "abc"},
        {"stars": "2"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"q": "nước mắm " * 1200},
        {"q": "nuoc\x00mam\x1b[31m\r\n\x7f"},
        {"q": '"unbalanced AND ( OR * NEAR -'},
        {"q": "a:b & c | !d <-> e:*"},
        {"sort": "drop table"},
        {"province": "x" * 500},
    ],
)
def test_bad_input_never_fails(find, shelf, client, params):
    result = find(**params)
    assert result.total >= 0
    response = client.get("/vi/search/", params)
    assert response.status_code == 200
    api = client.get("/api/v1/products/", params)
    # The API pages strictly (catalogue.api.PageParams): a page out of range is refused, saying why.
    assert api.status_code == (400 if "page" in params else 200)
    assert client.get("/vi/search/autocomplete/", {"q": params.get("q", "nuoc")}).status_code == 200


def test_control_characters_are_treated_as_spaces(find, shelf):
    assert titles(find(q="nuoc\x00mam")) == titles(find(q="nuoc mam"))


def test_postgresql_trigrams_also_correct_a_two_letter_slip(settings, product_index):
    """One-edit slips are corrected everywhere (above); PostgreSQL's trigrams go further."""
    from django.db import connection

    from search.contract import SearchQuery, search

    settings.SEARCH_ENGINE = "embedded"
    listed(product_index, "Gốm sứ Bát Tràng men lam", province="ha-noi")
    result = search(SearchQuery.from_params({"q": "bat trangxx"}))
    if connection.vendor == "postgresql":
        assert titles(result) == {"Gốm sứ Bát Tràng men lam"}
    else:
        assert result.total == 0


@pytest.fixture
def pantry(engine, product_index):
    """Honeys, products that only share a product-group name with honey, pottery and rice wines."""
    from catalogue.models import Category

    def group(code):
        return Category.objects.get(code=code)

    return {
        "honey": listed(
            product_index, "Mật ong bạc hà Hà Giang", stars=3, name_en="Mint honey", category=group("1.2.b")
        ),
        "forest_honey": listed(product_index, "Mật ong rừng U Minh", stars=3, category=group("1.2.b")),
        "shrimp": listed(product_index, "Tôm khô Cà Mau", stars=5, name_en="Dried shrimp", category=group("1.3.d")),
        "squid": listed(product_index, "Chả mực Hạ Long", stars=5, name_en="Squid cake", category=group("1.3.d")),
        "nem": listed(product_index, "Nem chua Thanh Hóa", stars=4, category=group("1.3.d")),
        "bat_trang": listed(product_index, "Gốm Bát Tràng", stars=4, category=group("4.1")),
        "bau_truc": listed(product_index, "Gốm Bàu Trúc", stars=3, province="khanh-hoa", category=group("4.1")),
        "ruou_van": listed(product_index, "Rượu làng Vân", stars=4, category=group("2.1.a")),
        "ruou_nep": listed(product_index, "Rượu nếp cẩm Sơn La", stars=3, category=group("2.1.a")),
    }


def test_honey_ranks_the_honeys_above_products_that_only_share_a_group_name(find, pantry):
    ranked = [hit.title for hit in find(q="honey").hits]
    assert set(ranked[:2]) == {"Mật ong bạc hà Hà Giang", "Mật ong rừng U Minh"}
    # Dried shrimp and nem chua match through "... seafood and honey", but only after the honeys.
    assert set(ranked[2:]) <= {"Tôm khô Cà Mau", "Chả mực Hạ Long", "Nem chua Thanh Hóa"}
    assert set([hit.title for hit in find(q="mật ong").hits][:2]) == set(ranked[:2])


def test_ceramic_finds_the_pottery_by_its_vietnamese_name(find, pantry):
    assert titles(find(q="ceramic")) == {"Gốm Bát Tràng", "Gốm Bàu Trúc"}
    assert titles(find(q="pottery")) == {"Gốm Bát Tràng", "Gốm Bàu Trúc"}


def test_wine_finds_ruou(find, pantry):
    assert {"Rượu làng Vân", "Rượu nếp cẩm Sơn La"} <= titles(find(q="wine"))
    assert [hit.title for hit in find(q="wine").hits][:2] == ["Rượu làng Vân", "Rượu nếp cẩm Sơn La"]


def test_stars_never_outrank_a_better_text_match_they_only_break_ties(find, product_index, engine):
    named = listed(product_index, "Mật ong hoa nhãn Hưng Yên", stars=3)
    listed(product_index, "Bánh mật Hưng Yên", stars=5, description="<p>Làm với mật ong hoa nhãn.</p>")
    tied = listed(product_index, "Mật ong hoa nhãn Hưng Yên", stars=5)
    ranked = [hit.pk for hit in find(q="mat ong hoa nhan").hits]
    # The two named ones lead; between them (the same text) the 5★ one comes first.
    assert ranked[:2] == [tied.pk, named.pk]
    assert len(ranked) == 3


def test_autocomplete_ranks_as_search_does_with_the_last_word_a_prefix(client, pantry):
    suggestions = client.get("/vi/search/autocomplete/", {"q": "honey"}).json()["suggestions"]
    assert {s["title"] for s in suggestions[:2]} == {"Mật ong bạc hà Hà Giang", "Mật ong rừng U Minh"}
    assert [s["title"] for s in client.get("/vi/search/autocomplete/", {"q": "gom ba"}).json()["suggestions"]] == [
        "Gốm Bát Tràng",
        "Gốm Bàu Trúc",
    ]
