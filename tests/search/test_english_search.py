"""A foreign buyer searching in English, on every engine: English names and descriptions are
indexed, case does not matter, and a plural finds the singular (and the other way round)."""

import pytest

from catalogue.models import Category
from search.contract import suggest
from search.stemming import stem

from .conftest import listed, titles

pytestmark = pytest.mark.django_db

FISH_SAUCES = {"Nước mắm cá cơm Phú Quốc", "Nước mắm Nam Ô"}


@pytest.fixture
def english_shelf(engine, product_index):
    """Fish sauces filed under "Other condiments", whose group name says nothing of fish sauce:
    only their English fields (or the trade terms) can make "fish sauce" find them."""
    other_condiments = Category.objects.get(code="1.4.b")
    crafts = Category.objects.get(code="4.1")
    return {
        "phu_quoc": listed(
            product_index,
            "Nước mắm cá cơm Phú Quốc",
            stars=5,
            name_en="Phu Quoc Fish Sauce",
            description="<p>Ủ chượp trong thùng gỗ.</p>",
            description_en="<p>Made from anchovies salted and aged in wooden barrels.</p>",
            category=other_condiments,
        ),
        "nam_o": listed(
            product_index, "Nước mắm Nam Ô", stars=4, name_en="Nam O fish sauces", category=other_condiments
        ),
        "chili": listed(
            product_index, "Tương ớt Mường Khương", stars=4, name_en="Chili sauce", category=other_condiments
        ),
        "baskets": listed(product_index, "Rổ tre Phú Vinh", stars=3, name_en="Bamboo baskets", category=crafts),
        "honey": listed(
            product_index,
            "Mật ong bạc hà",
            stars=3,
            name_en="Mint honey",
            category=Category.objects.get(code="1.2.b"),
        ),
    }


@pytest.mark.parametrize("q", ["fish sauce", "Fish Sauce", "FISH SAUCE", "fish sauces", "Fish Sauces"])
def test_fish_sauce_in_english_finds_the_fish_sauces(find, english_shelf, q):
    result = find(q=q)
    assert titles(result) == FISH_SAUCES
    assert result.messages == []  # found as typed, not by correcting a slip


def test_vietnamese_without_diacritics_finds_the_same_fish_sauces(find, english_shelf):
    assert titles(find(q="nuoc mam")) == titles(find(q="fish sauce")) == FISH_SAUCES


def test_plural_and_singular_find_each_other(find, english_shelf):
    # The name says "baskets", the buyer "basket"; the name says "sauce", the buyer "sauces".
    for q in ("basket", "bamboo basket", "baskets"):
        result = find(q=q)
        assert titles(result) == {"Rổ tre Phú Vinh"}, q
        assert result.messages == [], q
    assert titles(find(q="chili sauces")) == {"Tương ớt Mường Khương"}
    # "-ies" plurals, three edits from the singular: no spelling correction would reach them.
    assert titles(find(q="anchovy")) == {"Nước mắm cá cơm Phú Quốc"}


def test_the_english_description_is_searched(find, english_shelf):
    assert titles(find(q="wooden barrel")) == {"Nước mắm cá cơm Phú Quốc"}
    assert titles(find(q="Anchovies aged")) == {"Nước mắm cá cơm Phú Quốc"}


def test_an_english_name_match_ranks_first(find, english_shelf):
    ranked = [hit.title for hit in find(q="sauce").hits]
    assert set(ranked) == FISH_SAUCES | {"Tương ớt Mường Khương"}
    assert ranked[0] == "Tương ớt Mường Khương"  # "Chili sauce": the shortest name holding the word


def test_autocomplete_finds_english_plurals(engine, english_shelf):
    titles_found = {page.title for page in suggest("fish sauces", limit=10)}
    assert titles_found == FISH_SAUCES


def test_the_stemmer_leaves_vietnamese_and_non_plurals_alone():
    assert [stem(w) for w in ("sauces", "anchovies", "mats", "glass", "bus", "shoes")] == [
        "sauce",
        "anchovy",
        "mat",
        "glass",
        "bus",
        "shoes",
    ]
    # Folded Vietnamese syllables never end in "s".
    syllables = ["nuoc", "mam", "ca", "com", "phu", "quoc", "chieu", "coi"]
    assert [stem(w) for w in syllables] == syllables


@pytest.fixture
def english_only(engine, product_index):
    """Products whose producers wrote only an English name: the title is English and nothing
    in Vietnamese is indexed for them but their product group."""
    return {
        title: listed(product_index, title, stars=4, category=Category.objects.get(code=code))
        for title, code in (
            ("Co To dried squid", "1.3.d"),
            ("Phu Quoc fish sauce", "1.4.a"),
            ("Wild honey from Ha Giang", "1.2.b"),
            ("Bamboo drinking straws", "4.1"),
        )
    }


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        ("mực khô", "Co To dried squid"),
        ("muc kho", "Co To dried squid"),
        ("nước mắm", "Phu Quoc fish sauce"),
        ("nuoc mam", "Phu Quoc fish sauce"),
        ("mật ong rừng", "Wild honey from Ha Giang"),
        ("ống hút tre", "Bamboo drinking straws"),
    ],
)
def test_vietnamese_queries_find_products_whose_only_name_is_english(find, english_only, q, wanted):
    result = find(q=q)
    assert titles(result) == {wanted}
    assert result.messages == []


def test_english_words_that_only_join_others_are_not_required(find, english_shelf):
    result = find(q="honey with mint")
    assert titles(result) == {"Mật ong bạc hà"}
    assert result.messages == []


def test_an_english_query_nothing_matches_shows_its_head_noun_and_says_so(find, english_shelf):
    result = find(q="raw wildflower honey")
    assert titles(result) == {"Mật ong bạc hà"}
    # The message names what was typed and what was searched instead (the page's language).
    [message] = result.messages
    typed, shown = message.split(";")
    assert "“raw wildflower honey”" in typed and "honey”" in shown and "wildflower" not in shown
    # Typed as Vietnamese, nothing is dropped.
    assert find(q="mật ong hoa sữa").total == 0
