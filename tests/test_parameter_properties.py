"""Property-based tests (hypothesis) of the parsers every request and import goes through.

Whatever text arrives, `catalogue.params` answers a number in range or None, and the search
contract builds a query with validated values and messages, never an exception.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.params import MAX_ID, is_slug, plain_text, record_id, whole_number
from search.contract import search
from search.query import MAX_PAGE, STAR_CHOICES, SearchQuery

# Digits of every script, superscripts, signs, separators, NUL and other control characters.
NUMBERISH = st.text(
    alphabet=st.sampled_from("0123456789²³¹٣３߁+-_.,eE \t\x00\x01\x7f\u00a0ⅷ"),
    max_size=40,
)
ANY_TEXT = st.text(max_size=300)
HUGE_NUMBERS = st.integers(min_value=4000, max_value=6000).map(lambda n: "9" * n)
PARAMETERS = ("q", "province", "category", "stars", "sample", "quality", "sort", "page")


@given(st.one_of(NUMBERISH, ANY_TEXT, HUGE_NUMBERS), st.integers(min_value=0, max_value=MAX_ID))
def test_whole_number_is_in_range_or_none(text, maximum):
    number = whole_number(text, maximum)
    assert number is None or (type(number) is int and 0 <= number <= maximum)
    if number is not None:
        assert text.strip().isascii() and text.strip().isdigit()


@given(st.integers(min_value=0, max_value=MAX_ID), st.sampled_from(["", " ", "000"]))
def test_ascii_digits_in_range_read_as_themselves(number, padding):
    assert whole_number(f"{padding}{number}", MAX_ID) == number
    assert record_id(str(number)) == (number or None)


@given(st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), ANY_TEXT))
def test_record_id_never_raises(value):
    found = record_id(value)
    assert found is None or 1 <= found <= MAX_ID


@given(ANY_TEXT, st.one_of(st.none(), st.integers(min_value=0, max_value=500)))
def test_plain_text_holds_no_control_character(text, limit):
    cleaned = plain_text(text, limit)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cleaned)
    assert limit is None or len(cleaned) <= limit
    assert not is_slug(cleaned) or cleaned.isascii()


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.one_of(NUMBERISH, ANY_TEXT, HUGE_NUMBERS, st.sampled_from(["ha-noi", "condiments", "4", "2", "haccp"])),
    )
)
def test_any_search_parameters_make_a_valid_query(params):
    query = SearchQuery.from_params(params)
    assert query.stars in (None, *STAR_CHOICES)
    assert 1 <= query.page <= MAX_PAGE
    assert "\x00" not in query.q and len(query.q) <= 200
    assert all(isinstance(m, str) for m in query.messages)
    result = search(query)
    assert result.total >= 0 and 1 <= result.page <= result.num_pages
