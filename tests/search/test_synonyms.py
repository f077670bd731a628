"""The trade-terms dictionary: parsing, grouping a query into concepts, agency edits."""

import pytest

from catalogue import glossary
from catalogue.text import words
from search import synonyms
from search.synonyms import Dictionary, parse

# The dictionary is the glossary: its file and the agency's rows in the database.
pytestmark = pytest.mark.django_db


def test_the_shipped_file_groups_common_trade_terms():
    found = synonyms.concepts(words("Nước mắm Phú Quốc"))
    assert [c.typed for c in found] == [("nuoc", "mam"), ("phu",), ("quoc",)]
    assert ("fish", "sauce") in found[0].alternatives
    assert not found[1].expanded


def test_parse_folds_terms_and_ignores_comments_and_single_terms():
    groups = parse("# comment\nCeramic, GỐM sứ ,gốm\n\nalone\nwine, rượu # trailing\n")
    assert groups == [(("ceramic",), ("gom", "su"), ("gom",)), (("wine",), ("ruou",))]


def test_longest_phrase_wins_and_typed_phrase_comes_first():
    dictionary = Dictionary(parse("fish sauce, nước mắm\nfish, cá"))
    concepts = dictionary.concepts(["fish", "sauce", "fish"])
    assert [c.typed for c in concepts] == [("fish", "sauce"), ("fish",)]
    assert concepts[0].alternatives == (("fish", "sauce"), ("nuoc", "mam"))
    assert concepts[1].alternatives == (("fish",), ("ca",))


def test_phrases_that_hold_a_shorter_alternative_are_dropped():
    dictionary = Dictionary(parse("ceramic, gốm, gốm sứ, đồ gốm"))
    assert dictionary.concepts(["ceramic"])[0].alternatives == (("ceramic",), ("gom",))


def test_a_term_in_two_groups_means_both():
    dictionary = Dictionary(parse("spirit, rượu\nliquor, spirit"))
    assert set(dictionary.concepts(["spirit"])[0].alternatives) == {("spirit",), ("ruou",), ("liquor",)}


def test_an_edited_file_is_read_again(tmp_path, settings):
    terms = tmp_path / "terms.txt"
    terms.write_text("jackfruit, mít\n", encoding="utf-8")
    settings.SEARCH_TRADE_TERMS = str(terms)
    assert synonyms.concepts(["mit"])[0].alternatives == (("mit",), ("jackfruit",))
    terms.write_text("jackfruit, mít, trái mít\ndurian, sầu riêng\n", encoding="utf-8")
    assert synonyms.concepts(["durian"])[0].alternatives == (("durian",), ("sau", "rieng"))


def test_a_missing_file_means_no_expansion(tmp_path, settings):
    settings.SEARCH_TRADE_TERMS = str(tmp_path / "absent.txt")
    assert synonyms.concepts(["ceramic"])[0].alternatives == (("ceramic",),)


def _built(text):
    return synonyms.build(glossary.Glossary(glossary.parse(text)).search_lines())


def test_a_broader_synonym_finds_its_line_but_the_line_never_widens_to_it():
    dictionary = _built("chè xanh\tgreen tea\ttea\ntrà\ttea\nlạc rang\troasted peanuts\tpeanut\n")
    [tea] = dictionary.concepts(["tea"])
    assert {("tra",), ("che", "xanh")} <= set(tea.alternatives)
    [green_tea] = dictionary.concepts(["green", "tea"])
    assert ("che", "xanh") in green_tea.alternatives
    assert ("tea",) not in green_tea.alternatives and ("tra",) not in green_tea.alternatives
    # Plurals count: "peanut" is part of "roasted peanuts".
    [roasted] = dictionary.concepts(["roasted", "peanut"])
    assert roasted.alternatives == (("roasted", "peanut"), ("lac", "rang"))


def test_an_english_query_relaxes_to_its_head_noun_and_a_vietnamese_one_never_does():
    dictionary = _built("mật ong\thoney\nmặt nạ\tface mask\nmặt nạ dừa\tcoconut face mask\ngốm\tceramics\n")
    assert dictionary.relaxed(["wildflower", "honey"]) == [["honey"]]
    assert dictionary.relaxed(["raw", "wildflower", "honey"]) == [["wildflower", "honey"], ["raw", "honey"], ["honey"]]
    # A phrase of several words is first taken apart, every word still required.
    assert dictionary.relaxed(["coconut", "face", "mask"]) == [["face", "mask", "coconut"], ["face", "mask"]]
    assert dictionary.relaxed(["honey"]) == []
    assert dictionary.relaxed(["mat", "ong", "rung"]) == []  # Vietnamese: the head comes first
    assert dictionary.relaxed(["bat", "trang"]) == []  # a place, not an English head
