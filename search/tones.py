"""Vietnamese words with their marks kept, as one ASCII token, tone placement made canonical.

Folding (catalogue.text.fold) makes "mè" (sesame) and "me" (tamarind), "cá" (fish) and
"cà" (eggplant), "chè" (tea) and "chẽ" one word, so a buyer who types without diacritics
finds them all. A buyer who types the marks means one of them, and search puts that
spelling first. The index therefore holds, beside the folded text, every word *marked*:
its letters folded, each vowel or consonant mark as a digit right after its letter
(â ê ô 6, ơ ư 7, ă 8, đ d9) and the tone as one digit at the end of the word (sắc 1,
huyền 2, hỏi 3, ngã 4, nặng 5), the VNI way of typing Vietnamese:

    "mè" -> "me2", "me" -> "me", "cá" -> "ca1", "cà" -> "ca2", "nước" -> "nu7o7c1"

A tone written at the end of the word does not care which vowel carried it, so the old
and the new placement are one token: "hoà" and "hòa" -> "hoa2", "thuỷ" and "thủy" ->
"thuy3", "khoẻ" and "khỏe" -> "khoe3". The tokens are ASCII letters and digits, which
SQLite's FTS5, PostgreSQL's `simple` parser and Elasticsearch's standard tokenizer (and
osmem-server) all keep as one word, so every engine holds and queries the same tokens.
A word without marks is its folded self, plural made singular as in the folded text; a
word of another script is left to folding.
"""

import re
import unicodedata

from catalogue.text import words

from .stemming import stem

# Marks that change a letter: written right after it.
LETTER_MARKS = {"\u0302": "6", "\u031b": "7", "\u0306": "8"}
# Tones: one per syllable, written at the end of the word wherever the vowel carried it.
TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_RAW_WORD = re.compile(r"[^\W_]+")


def mark(raw):
    """The marked token of one lower-case word, or None if it holds a letter we do not know."""
    letters, tone = [], ""
    for char in unicodedata.normalize("NFD", raw):
        if "a" <= char <= "z" or "0" <= char <= "9":
            letters.append(char)
        elif char == "đ":
            letters.append("d9")
        elif char in LETTER_MARKS and letters:
            letters.append(LETTER_MARKS[char])
        elif char in TONES:
            tone = TONES[char]
        else:
            return None
    return "".join(letters) + tone


def pairs(text):
    """(folded word, marked token) for each word of a text, in the order `catalogue.text.words` gives."""
    found = []
    for raw in _RAW_WORD.findall(unicodedata.normalize("NFC", str(text) if text is not None else "").lower()):
        folded = words(raw)
        marked = mark(raw) if len(folded) == 1 else None
        if marked is None or marked == folded[0]:
            found.extend((word, stem(word)) for word in folded)
        else:
            found.append((folded[0], marked))
    return found


def marked_text(*texts):
    """The marked tokens of some texts, space-separated: what the index holds beside the folded text."""
    return " ".join(marked for text in texts if text for _word, marked in pairs(text))


def marked_terms(text, terms):
    """The marked tokens of a query, one per term (search.query.terms), or None when the buyer
    typed no mark at all (or the words cannot be lined up with the terms)."""
    found = pairs(text)[: len(terms)]
    if [stem(word) for word, _marked in found] != list(terms):
        return None
    marked = [token for _word, token in found]
    return marked if marked != list(terms) else None
