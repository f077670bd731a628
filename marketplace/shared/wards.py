"""Communes and wards of a current province, and what a typed name means: a sample order ships to
one, a lot's raw material comes from one (below the wings, so both read a ward the same way).

Since 1 July 2025 a province's communes and wards are those of the `vietnam-provinces` package;
many buyers still know their address by its former name. `match` reads what was typed with or
without diacritics and the "Phường"/"Xã"/"Đặc khu" word, first against the current names, then
against the former communes the package's 2025 conversion table merged into this province's
wards, and says which current ward that became, or which ones when the name is ambiguous (two
current names that differ only by their diacritics, or a former commune split between several).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import vietnam_provinces
from vietnam_provinces import legacy

from catalogue.text import fold

# Folded, as `fold` spells them; "thị trấn" (township) was a pre-2025 kind of commune.
PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ")
_EXACT_PREFIXES = ("phường ", "xã ", "đặc khu ", "thị trấn ")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidate:
    """A current ward a typed name may mean; `former` and `district` name the pre-2025 commune it came from."""

    ward: str
    former: str = ""
    district: str = ""


@dataclass(frozen=True)
class Match:
    """What a typed name means: one current `ward` (perhaps by its `former` name), or `candidates`."""

    ward: str = ""
    former: str = ""
    candidates: tuple = ()


def _exact(name):
    """Lower case, words only, diacritics kept: "Phường  Thạch-Thang" -> "phường thạch thang"."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", name).lower()))


def _strip(key, prefixes):
    for prefix in prefixes:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


class _Index:
    """Candidates by name, each name kept with and without its prefix, with and without diacritics."""

    def __init__(self):
        self.keys = ({}, {}, {}, {})  # exact full, exact bare, folded full, folded bare

    def add(self, name, candidate):
        exact, folded = _exact(name), fold(name)
        for table, key in zip(
            self.keys, (exact, _strip(exact, _EXACT_PREFIXES), folded, _strip(folded, PREFIXES)), strict=True
        ):
            table.setdefault(key, {})[candidate.ward] = candidate

    def find(self, typed):
        """The candidates of the most precise spelling that knows `typed`, by current ward name."""
        exact, folded = _exact(typed), fold(typed)
        keys = (exact, _strip(exact, _EXACT_PREFIXES), folded, _strip(folded, PREFIXES))
        for table, key in zip(self.keys, keys, strict=True):
            if key and key in table:
                return table[key]
        return {}


@functools.cache
def _current(province_code):
    wards = sorted(
        vietnam_provinces.Ward.iter_by_province(vietnam_provinces.ProvinceCode(province_code)),
        key=lambda ward: (_strip(fold(ward.name), PREFIXES), ward.name),
    )
    index = _Index()
    for ward in wards:
        index.add(ward.name, Candidate(ward.name))
    return tuple(ward.name for ward in wards), index, wards


@functools.cache
def _former(province_code):
    index = _Index()
    for ward in _current(province_code)[2]:
        for old in ward.get_legacy_sources():
            district = legacy.District.from_code(old.district_code).name
            index.add(old.name, Candidate(ward.name, old.name, district))
    return index


def names(province_code):
    """The official names of a current province's communes and wards, alphabetical after "Phường"/"Xã"."""
    return _current(province_code)[0]


def match(province_code, typed):
    """What `typed` names among a current province's communes and wards: a Match, or None."""
    if not typed or not typed.strip():
        return None
    found = _current(province_code)[1].find(typed)
    if len(found) == 1:
        return Match(ward=next(iter(found)))
    if found:
        return Match(candidates=tuple(found.values()))
    found = _former(province_code).find(typed)
    if len(found) == 1:
        candidate = next(iter(found.values()))
        return Match(ward=candidate.ward, former=candidate.former)
    if found:
        return Match(candidates=tuple(sorted(found.values(), key=lambda c: fold(c.ward))))
    return None


def code(province_code, name):
    """The five-digit code (Decision 19/2025/QĐ-TTg) of a current ward named exactly `name`, or ""."""
    for ward in _current(province_code)[2]:
        if ward.name == name:
            return f"{int(ward.code):05d}"
    return ""
