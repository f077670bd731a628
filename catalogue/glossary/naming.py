"""An indicative English name for a product, composed from its Vietnamese name and the glossary.

Vietnamese puts the head noun first and its qualifiers after it; English reads the other
way. "Mật ong bạc hà Hà Giang" is honey (the head), of mint (a qualifier), from Hà Giang:
"Hà Giang mint honey". The name is cut into the glossary's longest terms; place names,
brands and other proper names are kept as written and go first, the qualifiers follow in
reverse order (the one nearest the head in Vietnamese stays nearest it in English), then
the head, then phrases that follow a noun in English ("in teabags"), then codes and
measures in parentheses ("Trảng Bàng dew-dried rice paper (HT)", "… fish sauce (40°N)").

Capital letters tell a proper name in a name written in sentence case ("Mực khô Cô Tô").
When every word is capitalised ("Mật Ong Bạc Hà Hà Giang") they tell nothing, so the
provinces, communes and districts of the reference data (the `vietnam-provinces` package,
both eras) tell place names from product words, and other words the glossary does not
know are kept as written.

When the glossary does not know the head (the first word that is not a proper name), no
name is composed: the product page then says what the product is from its sub-group.
"""

import functools
import re

from . import AFTER_HEAD, KEEP, SKIP, current, generation, key, tokens

MEASURES = "Measures"  # the glossary section whose terms follow a number ("40 độ đạm" -> "40°N")
AND = "and"
PLACE_PREPOSITIONS = ("at", "in")
_CODE = re.compile(r"^(?=.*[A-ZĐ])[A-Z0-9Đ&.-]{2,}$|^(?=.*\d)(?=.*[^\W\d_])[^\W_]+$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_PLACE_PREFIX = re.compile(r"^(Tỉnh|Thành phố|Phường|Xã|Đặc khu|Thị trấn|Quận|Huyện|Thị xã)\s+")


def english_name(title):
    """The composed English name of a Vietnamese product name, or "" when the glossary cannot tell."""
    title = (title or "").strip()
    if not title:
        return ""
    return _composed(title, generation())


@functools.lru_cache(maxsize=50_000)
def _composed(title, _generation):
    return compose(title, current())


@functools.cache
def place_names():
    """Names of provinces, districts and communes of both eras, as tuples of glossary keys."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    names = set()
    for kind in (Province, Ward, LegacyProvince, District, LegacyWard):
        for unit in kind.iter_all():
            name = _PLACE_PREFIX.sub("", unit.name)
            words = tuple(key(w) for w in tokens(name))
            # A commune named by a number ("Phường 9") says nothing in a product name.
            if words and not any(_NUMBER.match(w) for w in words):
                names.add(words)
    return frozenset(names)


def _longest_place(keys, start):
    names = place_names()
    for size in range(min(5, len(keys) - start), 1, -1):
        if tuple(keys[start : start + size]) in names:
            return size
    return 0


def _capitalised(word):
    return word[:1].isupper()


def compose(title, glossary):
    """Compose the English name of `title` with `glossary` ("" when its head is unknown)."""
    words = tokens(title)
    letters = [w for w in words if w[:1].isalpha()]
    if letters and all(w.isupper() for w in letters):
        words = [w.capitalize() if w[:1].isalpha() else w for w in words]  # a name in capitals
    letters = [w for w in words if w[:1].isalpha() and not _is_code(w)]
    title_case = len(letters) > 1 and all(_capitalised(w) for w in letters)
    keys = [key(w) for w in words]

    proper, qualifiers, after, codes = [], [], [], []
    head = None
    joined = unknown = False
    at = ""  # a preposition waiting for the place after it
    keep = []  # words an entry marked "kept as written" ("ông" of "ông Lào")
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("("):
            if word[1:-1].strip():
                codes.append(word[1:-1].strip())
            i += 1
            continue
        if _NUMBER.match(word):
            entry, size = glossary.match(keys, i + 1)
            if entry is not None and entry.section == MEASURES:
                joint = "" if entry.english[:1] in "°%-" else " "
                codes.append(f"{word}{joint}{entry.english}")
                i += 1 + size
            else:
                codes.append(word)
                i += 1
            continue
        if _is_code(word):
            codes.append(word)
            i += 1
            continue
        entry, size = glossary.match(keys, i)
        place = _longest_place(keys, i) if title_case else 0
        if title_case and place > size:
            proper.append(" ".join([*keep, *words[i : i + place]]))
            keep, i = [], i + place
            continue
        if (
            entry is None
            and (_capitalised(word) or title_case)
            or (i > 0 and _capitalised(word) and not _inside_term(glossary, keys, i, size, title_case))
        ):
            run = _proper_run(words, i, glossary, keys, title_case)
            name = " ".join([*keep, *words[i : i + run]])
            if at:
                after.append(f"{at} {name}")  # "… tại Mộc Miên": "… at Mộc Miên"
            else:
                proper.append(name)
            keep, at, unknown, i = [], "", False, i + run
            continue
        if entry is None:
            if head is None:
                return ""  # the glossary does not know what the product is
            # A word it does not know, kept as written; a run of them stays in its order.
            if unknown:
                qualifiers[-1] = f"{qualifiers[-1]} {word}"
            else:
                qualifiers.append(word)
            unknown, i = True, i + 1
            continue
        unknown = False
        i += size
        english = entry.english
        if english == SKIP:
            continue
        if english == KEEP:
            keep.extend(words[i - size : i])
            continue
        if english in PLACE_PREPOSITIONS:
            at = english
        elif english == AND:
            joined = head is not None
        elif english.startswith(AFTER_HEAD):
            after.append(english)
        elif head is None:
            head = english
        elif joined:
            # "Bún và phở": two products, each with its own qualifiers before it.
            head, qualifiers, joined = f"{' '.join([*reversed(qualifiers), head])} and {english}", [], False
        else:
            qualifiers.append(english)
    if head is None:
        return ""
    name = " ".join([*proper, *reversed(qualifiers), head, *after])
    name = name[:1].upper() + name[1:]
    if codes:
        name = f"{name} ({', '.join(codes)})"
    return name


def _is_code(word):
    return bool(_CODE.match(word)) and not _NUMBER.match(word)


def _inside_term(glossary, keys, i, size, title_case):
    """Whether a capitalised word after the first is a product word rather than a name.

    In sentence case it is one only when it starts a glossary term of several words ("Cá
    Cơm", anchovy): one the glossary knows alone stays a name ("Hồng" of the brand "Hồng
    Hạnh" is not a persimmon). In title case every word is capitalised, so a word the
    glossary knows is a product word unless the word after it is one it does not know
    ("Thanh Quốc" is a brand, not a bar).
    """
    if size > 1:
        return True
    if not title_case or size == 0:
        return False
    following = i + 1
    return following >= len(keys) or glossary.match(keys, following)[0] is not None or not keys[following][:1].isalpha()


def _proper_run(words, start, glossary, keys, title_case):
    """How many words from `start` make one proper name (a place, a brand, a person)."""
    end = start + 1
    while end < len(words):
        word = words[end]
        if word.startswith("(") or _NUMBER.match(word) or _is_code(word) or not _capitalised(word):
            break
        if title_case and glossary.match(keys, end)[0] is not None and not _longest_place(keys, end):
            break
        end += 1
    return end - start
