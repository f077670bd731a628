"""Text folding: the one way every app turns Vietnamese (or any) text into comparable words.

"Nước mắm Đà Nẵng" and "nuoc mam da nang" fold to the same "nuoc mam da nang": search
indexes, the public record lookup, the importer's matching and slugs all use `fold`, so
two places can never disagree about whether two spellings are the same.
"""

import re

from anyascii import anyascii

_WORD = re.compile(r"[a-z0-9]+")


def fold(text):
    """Lower-case ASCII words separated by single spaces: "Nước mắm Đà Nẵng" -> "nuoc mam da nang"."""
    return " ".join(words(text))


def words(text):
    """The folded words of a text, in order."""
    return _WORD.findall(anyascii(str(text) if text is not None else "").lower())


def slugify(text):
    """A URL slug from any text: "Bà Rịa–Vũng Tàu" -> "ba-ria-vung-tau"."""
    return "-".join(words(text))
